/** The part of cli-progress (3.12, which ships no types) that transfer-progress.ts uses. */
declare module 'cli-progress' {
  export interface BarParams {
    value: number;
    total: number;
    /** 0..1 */
    progress: number;
  }
  export interface Options {
    stream?: NodeJS.WritableStream;
    format?: (options: Options, params: BarParams, payload: Record<string, unknown>) => string;
    fps?: number;
    hideCursor?: boolean | null;
    clearOnComplete?: boolean;
    stopOnComplete?: boolean;
    linewrap?: boolean | null;
    gracefulExit?: boolean;
    forceRedraw?: boolean;
    autopadding?: boolean;
    noTTYOutput?: boolean;
  }
  export class SingleBar {
    update(value: number, payload?: Record<string, unknown>): void;
    update(payload: Record<string, unknown>): void;
    setTotal(total: number): void;
    stop(): void;
  }
  export class MultiBar {
    constructor(options: Options, preset?: unknown);
    create(total: number, startValue: number, payload?: Record<string, unknown>): SingleBar;
    remove(bar: SingleBar): boolean;
    log(text: string): void;
    update(): void;
    stop(): void;
  }
  const cliProgress: { MultiBar: typeof MultiBar };
  export default cliProgress;
}

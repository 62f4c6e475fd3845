/**
 * A varlink service: the interfaces it implements and the dispatch of one call to its method
 * handler. Parameters are type-checked (and normalized) before the handler runs, replies and
 * declared errors after; the connection (connection.ts) only moves the resulting messages.
 */
import type { Duplex } from 'node:stream';
import type { InterfaceDefinition, StructType } from './idl-types.js';
import { checkStruct } from './type-checker.js';
import { isVarlinkError, serviceErrors, VarlinkError } from './varlink-error.js';

export type Parameters = Record<string, unknown>;

/** What a handler learns about the call besides its parameters. */
export interface CallInfo {
  /** Fully qualified method name (io.podman.GetVersion). */
  method: string;
  more: boolean;
  oneway: boolean;
  upgrade: boolean;
  /** Aborted when the client disconnects (stop streaming, stop following). */
  signal: AbortSignal;
}

const upgradeBrand = Symbol.for('selkie.VarlinkUpgrade');

/** A reply after which the connection becomes a raw byte stream, owned by `takeOver`. */
export interface UpgradeResult {
  readonly [upgradeBrand]: true;
  parameters: Parameters;
  /** Runs with the socket once the reply is written; the connection is closed when it settles. */
  takeOver(socket: Duplex): Promise<void>;
}

export function upgradeReply(parameters: Parameters, takeOver: (socket: Duplex) => Promise<void>): UpgradeResult {
  return { [upgradeBrand]: true, parameters, takeOver };
}

const liveBrand = Symbol.for('selkie.VarlinkLiveStream');

/**
 * A stream of replies sent as each item arrives (logs -f, events, progress), unlike a plain async
 * iterable whose last item must be known before the one before it is sent. After the items, `final()`
 * is the reply without `continues`. Without `more` only the final reply is sent.
 */
export interface LiveStream {
  readonly [liveBrand]: true;
  items: AsyncIterable<Parameters>;
  final(): Parameters;
}

export function liveStream(items: AsyncIterable<Parameters>, final: () => Parameters = () => ({})): LiveStream {
  return { [liveBrand]: true, items, final };
}

/** A single reply, a stream of replies (sent with `continues` when the client asked for more), or an upgrade. */
export type MethodResult = Parameters | AsyncIterable<Parameters> | LiveStream | UpgradeResult;
// The parameters were checked against the interface; each handler states the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MethodHandler = (parameters: any, call: CallInfo) => Promise<MethodResult> | MethodResult;

export interface InterfaceImplementation {
  definition: InterfaceDefinition;
  /** Handlers by method name; a method of the definition without one answers MethodNotImplemented. */
  methods: Partial<Record<string, MethodHandler>>;
  /** Methods that only make sense with `more` (ExpectedMore otherwise). */
  requiresMore?: ReadonlySet<string>;
  /** Turns what a handler threw (not a VarlinkError) into this interface's error (default io.selkie.InternalError). */
  mapError?(e: unknown, method: string): VarlinkError;
}

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
}

/** One message the connection sends back. */
export interface ReplyMessage {
  parameters?: Parameters;
  continues?: boolean;
  error?: string;
}

export interface Dispatched {
  replies: AsyncIterable<ReplyMessage>;
  /** Set when the call upgraded the connection: run after the replies are written. */
  takeOver?: (socket: Duplex) => Promise<void>;
}

export class VarlinkService {
  private readonly interfaces = new Map<string, InterfaceImplementation>();

  constructor(readonly info: ServiceInfo) {}

  addInterface(impl: InterfaceImplementation): void {
    this.interfaces.set(impl.definition.name, impl);
  }

  interfaceNames(): string[] {
    return [...this.interfaces.keys()];
  }

  definition(name: string): InterfaceDefinition | undefined {
    return this.interfaces.get(name)?.definition;
  }

  /** Run one request message. Never throws: every failure becomes an error reply. */
  dispatch(request: Record<string, unknown>, signal: AbortSignal): Dispatched {
    const call: CallInfo = {
      method: typeof request.method === 'string' ? request.method : '',
      more: request.more === true,
      oneway: request.oneway === true,
      upgrade: request.upgrade === true,
      signal,
    };
    let takeOver: Dispatched['takeOver'];
    const self = this;
    async function* replies(): AsyncIterable<ReplyMessage> {
      try {
        const result = await self.invoke(request, call);
        if (isUpgrade(result)) {
          takeOver = result.takeOver;
          yield { parameters: result.output };
        } else if ((result.output as LiveStream)[liveBrand] === true) {
          const live = result.output as LiveStream;
          for await (const item of live.items) if (call.more) yield { parameters: result.check(item), continues: true };
          yield { parameters: result.check(live.final()) };
        } else if (Symbol.asyncIterator in result.output) {
          yield* self.stream(result.output as AsyncIterable<Parameters>, result.check, call);
        } else {
          yield { parameters: result.check(result.output as Parameters) };
        }
      } catch (e) {
        yield self.errorReply(e, call.method);
      }
    }
    return {
      replies: replies(),
      get takeOver() {
        return takeOver;
      },
    };
  }

  private async invoke(request: Record<string, unknown>, call: CallInfo): Promise<{ output: MethodResult; check: (p: Parameters) => Parameters } | UpgradeInvoked> {
    const dot = call.method.lastIndexOf('.');
    if (dot <= 0) throw serviceErrors.invalidParameter('method');
    const ifaceName = call.method.slice(0, dot);
    const methodName = call.method.slice(dot + 1);
    const impl = this.interfaces.get(ifaceName);
    if (!impl) throw serviceErrors.interfaceNotFound(ifaceName);
    const method = impl.definition.methods.get(methodName);
    if (!method) throw serviceErrors.methodNotFound(call.method);
    const handler = impl.methods[methodName];
    if (!handler) throw serviceErrors.methodNotImplemented(call.method);
    if (request.parameters !== undefined && (typeof request.parameters !== 'object' || Array.isArray(request.parameters))) {
      throw serviceErrors.invalidParameter('parameters');
    }
    if (impl.requiresMore?.has(methodName) && !call.more) throw serviceErrors.expectedMore();
    const parameters = checkStruct(impl.definition, method.input, request.parameters);
    const check = (p: Parameters) => checkReply(impl.definition, method.output, p, call.method);
    let output: MethodResult;
    try {
      output = await handler(parameters, call);
    } catch (e) {
      throw isVarlinkError(e) || !impl.mapError ? e : impl.mapError(e, methodName);
    }
    if (isUpgradeResult(output)) {
      if (!call.upgrade) throw serviceErrors.invalidParameter('upgrade');
      return { upgrade: true, output: check(output.parameters), takeOver: output.takeOver };
    }
    return { output, check };
  }

  /** Stream replies: with `more`, each with continues: true but the last; without, only the last. */
  private async *stream(items: AsyncIterable<Parameters>, check: (p: Parameters) => Parameters, call: CallInfo): AsyncIterable<ReplyMessage> {
    let previous: Parameters | undefined;
    for await (const item of items) {
      if (previous !== undefined && call.more) yield { parameters: check(previous), continues: true };
      previous = item;
    }
    yield { parameters: check(previous ?? {}) };
  }

  private errorReply(e: unknown, method: string): ReplyMessage {
    // Errors thrown while a stream of replies is produced are mapped like the handler's own.
    const impl = this.interfaces.get(method.slice(0, method.lastIndexOf('.')));
    if (!isVarlinkError(e) && impl?.mapError) e = impl.mapError(e, method.slice(method.lastIndexOf('.') + 1));
    const err = isVarlinkError(e) ? e : new VarlinkError('io.selkie.InternalError', { method, reason: e instanceof Error ? e.message : String(e) });
    const dot = err.error.lastIndexOf('.');
    const def = this.interfaces.get(err.error.slice(0, dot))?.definition;
    const errDef = def?.errors.get(err.error.slice(dot + 1));
    let parameters = err.parameters;
    if (def && errDef) {
      try {
        parameters = checkStruct(def, errDef.parameters, parameters);
      } catch {
        // Keep the handler's parameters: a malformed error is still better than none.
      }
    }
    return { error: err.error, parameters };
  }
}

interface UpgradeInvoked {
  upgrade: true;
  output: Parameters;
  takeOver: (socket: Duplex) => Promise<void>;
}

function isUpgrade(r: object): r is UpgradeInvoked {
  return (r as UpgradeInvoked).upgrade === true;
}

function isUpgradeResult(r: MethodResult): r is UpgradeResult {
  return (r as UpgradeResult)[upgradeBrand] === true;
}

/** A reply that does not match the method's declared output is a bug in the service, reported as such. */
function checkReply(def: InterfaceDefinition, output: StructType, p: Parameters, method: string): Parameters {
  try {
    return checkStruct(def, output, p);
  } catch (e) {
    const parameter = isVarlinkError(e) ? String(e.parameters.parameter) : '';
    throw new VarlinkError('io.selkie.InvalidReply', { method, parameter, reason: `the service's reply to ${method} does not match the interface at ${parameter}` });
  }
}

/** A container's or pod's state as a coloured label. */
import { _ } from '../i18n.js';
import { Label } from '../pf.js';

const colors: Record<string, 'green' | 'orange' | 'grey' | 'red' | 'blue'> = {
  running: 'green',
  paused: 'orange',
  degraded: 'orange',
  created: 'blue',
  exited: 'grey',
  stopped: 'grey',
  dead: 'red',
  error: 'red',
};

export function StateLabel({ state }: { state: string }) {
  const key = state.toLowerCase();
  return (
    <Label isCompact color={colors[key] ?? 'grey'} className="selkie-state" data-state={key}>
      {_(state.charAt(0).toUpperCase() + state.slice(1))}
    </Label>
  );
}

/**
 * A container's or pod's state as a coloured label: PatternFly's Label markup and classes without
 * its component — one sits in each of 100 rows, and Label measures its text in a layout effect (for a
 * tooltip a one-word state never needs) and keeps editing state.
 */
import { cx, pfLabel } from '../common/pf-classes.js';
import { _ } from '../i18n.js';

const colors: Record<string, string> = {
  running: pfLabel.green,
  paused: pfLabel.orange,
  degraded: pfLabel.orange,
  created: pfLabel.blue,
  dead: pfLabel.red,
  error: pfLabel.red,
};

export function StateLabel({ state }: { state: string }) {
  const key = state.toLowerCase();
  return (
    <span className={cx(pfLabel.label, pfLabel.filled, pfLabel.compact, colors[key], 'selkie-state')} data-state={key}>
      <span className={pfLabel.content}>
        <span className={pfLabel.text}>{_(state.charAt(0).toUpperCase() + state.slice(1))}</span>
      </span>
    </span>
  );
}

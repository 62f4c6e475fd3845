/**
 * What the page says about an engine it cannot use, one block per engine (the other engine's
 * containers stay listed below): the service is not running (an empty state saying how to start it,
 * with "Try again"), no administrative access for the system engine, or a lost connection being
 * re-established.
 */
import { _, fmt } from '../i18n.js';
import { Alert, AlertActionLink, Button, EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter } from '../pf.js';
import { engineName, type EngineView } from './engine-views.js';

/** The commands that start the service this engine's bridge could not reach. */
export function startCommands(owner: EngineView['owner']): string[] {
  return owner === 'system'
    ? ['systemctl start selkie-varlink.socket', 'selkie system service --varlink']
    : ['systemctl --user start selkie-varlink.socket', 'selkie system service --varlink'];
}

export function EngineStatus({ engine }: { engine: EngineView }) {
  const s = engine.status;
  const name = engineName(engine);
  if (s.state === 'disconnected') {
    return (
      <Alert
        variant="warning"
        isInline
        title={fmt('Lost the connection to $0', name)}
        actionLinks={<AlertActionLink onClick={() => engine.client.retry()}>{_('Reconnect now')}</AlertActionLink>}
        data-owner={engine.owner}
      >
        {s.reason}. {fmt('Reconnecting in $0 s…', Math.ceil(s.retryInMs / 1000))}
      </Alert>
    );
  }
  if (s.state !== 'failed') return null;
  if (s.failure.kind === 'access-denied') {
    return (
      <Alert
        variant="info"
        isInline
        title={fmt('$0 is not shown: $1', name, s.failure.message)}
        actionLinks={<AlertActionLink onClick={() => engine.client.retry()}>{_('Try again')}</AlertActionLink>}
        data-owner={engine.owner}
      >
        {s.failure.hint}
      </Alert>
    );
  }
  const [systemd, direct] = startCommands(engine.owner);
  return (
    <EmptyState
      headingLevel="h2"
      status="warning"
      titleText={engine.owner === 'system' ? _('The system’s container service is not running') : fmt('The container service of user $0 is not running', engine.label)}
      className="selkie-engine-down"
      data-owner={engine.owner}
    >
      <EmptyStateBody>
        <p>{s.failure.hint ? `${s.failure.message}: ${s.failure.hint}` : s.failure.message}</p>
        <p>
          {_('Start it with')} <code>{systemd}</code> {_('or run')} <code>{direct}</code>
          {engine.owner === 'system' ? ` ${_('as root')}` : ` ${fmt('as $0', engine.label)}`}.
        </p>
      </EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>
          <Button variant="primary" onClick={() => engine.client.retry()} aria-label={fmt('Try again to reach $0', name)}>
            {_('Try again')}
          </Button>
        </EmptyStateActions>
      </EmptyStateFooter>
    </EmptyState>
  );
}

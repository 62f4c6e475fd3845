/** The page: connection state, the Containers (grouped by pod) and Images tabs, and the create dialogs. */
import { useEffect, useMemo, useState } from 'react';
import type { BridgeClient, ConnectionStatus } from './bridge-client.js';
import { AlertsProvider, errorText } from './common/alerts.js';
import { BridgeContext } from './common/bridge-context.js';
import { ConfirmModal } from './common/confirm-modal.js';
import { useEngineLists } from './common/use-engine-lists.js';
import type { Prefetched } from './common/prefetch.js';
import { useUrlState } from './common/url-state.js';
import { containerCounts, groupContainers } from './containers/container-groups.js';
import { ContainersTables } from './containers/containers-table.js';
import { CreateContainerModal } from './dialogs/create-container-modal.js';
import { CreatePodModal } from './dialogs/create-pod-modal.js';
import { _, fmt } from './i18n.js';
import { ImagesTable } from './images/images-table.js';
import { PullImageModal } from './images/pull-image-modal.js';
import { Alert, Button, EmptyState, EmptyStateBody, PageSection, SearchInput, Spinner, Tab, Tabs, TabTitleText, ToggleGroup, ToggleGroupItem, Toolbar, ToolbarContent, ToolbarItem } from './pf.js';
import { useAlerts } from './common/alerts.js';
import { formatBytes } from './common/format.js';

type Dialog = { kind: 'container'; image?: string } | { kind: 'pod' } | { kind: 'pull' } | { kind: 'prune' } | null;

export function App({ client, prefetched }: { client: BridgeClient; prefetched?: Prefetched }) {
  const [status, setStatus] = useState<ConnectionStatus>(client.status);
  useEffect(() => client.onStatus(setStatus), [client]);
  const hello = status.state === 'connected' ? status.hello : undefined;
  const ctx = useMemo(() => ({ client, hello }), [client, hello]);
  return (
    <BridgeContext.Provider value={ctx}>
      <AlertsProvider>
        <div className="selkie-page">
          {status.state === 'disconnected' && (
            <PageSection>
              <Alert variant="warning" isInline title={_('Lost the connection to the Selkie engine')}>
                {status.reason}. {fmt('Reconnecting in $0 s…', Math.ceil(status.retryInMs / 1000))}
              </Alert>
            </PageSection>
          )}
          <Main client={client} prefetched={prefetched} />
        </div>
      </AlertsProvider>
    </BridgeContext.Provider>
  );
}

function Main({ client, prefetched }: { client: BridgeClient; prefetched?: Prefetched }) {
  const lists = useEngineLists(client, prefetched);
  const [url, setUrl] = useUrlState();
  const [dialog, setDialog] = useState<Dialog>(null);
  const alerts = useAlerts();
  const groups = useMemo(
    () => (lists.containers && lists.pods ? groupContainers(lists.containers, lists.pods, { showAll: url.show === 'all', filter: url.filter }) : []),
    [lists.containers, lists.pods, url.show, url.filter],
  );
  const counts = lists.containers ? containerCounts(lists.containers) : undefined;
  const loading = lists.containers === null || lists.pods === null;

  return (
    <>
      <PageSection>
        <Tabs activeKey={url.tab} onSelect={(_e, k) => setUrl({ tab: k === 'images' ? 'images' : 'containers' })} aria-label={_('Selkie')} mountOnEnter>
          <Tab eventKey="containers" title={<TabTitleText>{counts ? fmt('Containers ($0 running of $1)', counts.running, counts.all) : _('Containers')}</TabTitleText>}>
            <Toolbar>
              <ToolbarContent>
                <ToolbarItem>
                  <SearchInput aria-label={_('Filter containers')} placeholder={_('Filter by name, image or pod')} value={url.filter} onChange={(_e, v) => setUrl({ filter: v })} onClear={() => setUrl({ filter: '' })} />
                </ToolbarItem>
                <ToolbarItem>
                  <ToggleGroup aria-label={_('Which containers to show')}>
                    <ToggleGroupItem text={_('All')} buttonId="show-all" isSelected={url.show === 'all'} onChange={() => setUrl({ show: 'all' })} />
                    <ToggleGroupItem text={_('Running only')} buttonId="show-running" isSelected={url.show === 'running'} onChange={() => setUrl({ show: 'running' })} />
                  </ToggleGroup>
                </ToolbarItem>
                <ToolbarItem>
                  <Button variant="primary" onClick={() => setDialog({ kind: 'container' })}>
                    {_('Create container')}
                  </Button>
                </ToolbarItem>
                <ToolbarItem>
                  <Button variant="secondary" onClick={() => setDialog({ kind: 'pod' })}>
                    {_('Create pod')}
                  </Button>
                </ToolbarItem>
              </ToolbarContent>
            </Toolbar>
            {lists.loadError !== undefined && (
              <Alert variant="danger" isInline title={_('Could not load the containers')}>
                {errorText(lists.loadError)}
              </Alert>
            )}
            {loading ? (
              <Spinner aria-label={_('Loading containers')} />
            ) : groups.length ? (
              <ContainersTables groups={groups} stats={lists.stats} />
            ) : (
              <EmptyState headingLevel="h2" titleText={url.filter ? _('No container matches the filter') : _('No containers')}>
                <EmptyStateBody>{url.show === 'running' ? _('No container is running. Show all containers, or create one.') : _('Create a container or a pod to start.')}</EmptyStateBody>
              </EmptyState>
            )}
          </Tab>
          <Tab eventKey="images" title={<TabTitleText>{lists.images ? fmt('Images ($0)', lists.images.length) : _('Images')}</TabTitleText>}>
            <Toolbar>
              <ToolbarContent>
                <ToolbarItem>
                  <Button variant="primary" onClick={() => setDialog({ kind: 'pull' })}>
                    {_('Pull image')}
                  </Button>
                </ToolbarItem>
                <ToolbarItem>
                  <Button variant="secondary" onClick={() => setDialog({ kind: 'prune' })}>
                    {_('Prune unused images')}
                  </Button>
                </ToolbarItem>
              </ToolbarContent>
            </Toolbar>
            {lists.images ? (
              <ImagesTable images={lists.images} containers={lists.containers ?? []} onRun={(image) => setDialog({ kind: 'container', image })} />
            ) : (
              <Spinner aria-label={_('Loading images')} />
            )}
          </Tab>
        </Tabs>
      </PageSection>
      {dialog?.kind === 'container' && <CreateContainerModal images={lists.images ?? []} pods={lists.pods ?? []} initialImage={dialog.image} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'pod' && <CreatePodModal images={lists.images ?? []} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'pull' && <PullImageModal onClose={() => setDialog(null)} />}
      {dialog?.kind === 'prune' && (
        <ConfirmModal
          title={_('Prune unused images?')}
          body={_('Images without a name are deleted; with the option below, every image no container uses.')}
          option={{ label: _('Also delete named images no container uses'), initial: false }}
          confirmLabel={_('Prune')}
          danger
          onConfirm={async (all) => {
            try {
              const r = await client.call<{ deleted: string[]; spaceReclaimed: number }>('images.prune', { all });
              alerts.success(fmt('Deleted $0 images, $1 freed', r.deleted.length, formatBytes(r.spaceReclaimed)));
            } catch (e) {
              alerts.error(_('Could not prune images'), e);
            }
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}

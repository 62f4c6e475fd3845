/**
 * The page: the system engine and the user's own engine side by side (an owner filter kept in the
 * URL; a block per engine that cannot be used), the Containers (grouped by pod) and Images tabs,
 * and the create dialogs.
 */
import { useMemo, useState } from 'react';
import { AlertsProvider, errorText, useAlerts } from './common/alerts.js';
import { BridgeContext } from './common/bridge-context.js';
import { ConfirmModal } from './common/confirm-modal.js';
import { formatBytes } from './common/format.js';
import { type OwnerFilter, useUrlState } from './common/url-state.js';
import { mergeLists, useEngineLists } from './common/use-engine-lists.js';
import { containerCounts, groupContainers } from './containers/container-groups.js';
import { ContainersTables } from './containers/containers-table.js';
import { CreateContainerModal } from './dialogs/create-container-modal.js';
import { CreatePodModal } from './dialogs/create-pod-modal.js';
import type { EngineSet, Owner } from './engines/engine-set.js';
import { EngineStatus } from './engines/engine-status.js';
import { engineName, EnginesContext, type EngineView, useEngineEntries, useEngineViews } from './engines/engine-views.js';
import { _, fmt } from './i18n.js';
import { ImagesTable } from './images/images-table.js';
import { PullImageModal } from './images/pull-image-modal.js';
import { Alert, Button, EmptyState, EmptyStateBody, PageSection, SearchInput, Spinner, Tab, Tabs, TabTitleText, ToggleGroup, ToggleGroupItem, Toolbar, ToolbarContent, ToolbarItem } from './pf.js';

type Dialog = { kind: 'container'; image?: string; owner?: Owner } | { kind: 'pod' } | { kind: 'pull' } | { kind: 'prune' } | null;

export function App({ engines }: { engines: EngineSet }) {
  const views = useEngineViews(engines);
  // Components outside an engine's rows talk to the first usable engine.
  const primary = views.find((v) => v.status.state === 'connected') ?? views[0];
  return (
    <EnginesContext.Provider value={views}>
      <BridgeContext.Provider value={primary?.bridge ?? null}>
        <AlertsProvider>
          <div className="selkie-page">
            <Main set={engines} views={views} />
          </div>
        </AlertsProvider>
      </BridgeContext.Provider>
    </EnginesContext.Provider>
  );
}

function OwnerToggle({ views, value, onChange }: { views: EngineView[]; value: OwnerFilter; onChange(v: OwnerFilter): void }) {
  if (views.length < 2 && value === 'all') return null;
  const user = views.find((v) => v.owner === 'user');
  return (
    <ToolbarItem>
      <ToggleGroup aria-label={_('Whose containers and images to show')}>
        <ToggleGroupItem text={_('All owners')} buttonId="owner-all" isSelected={value === 'all'} onChange={() => onChange('all')} />
        <ToggleGroupItem text={_('System')} buttonId="owner-system" isSelected={value === 'system'} onChange={() => onChange('system')} />
        <ToggleGroupItem text={user ? user.label : _('User')} buttonId="owner-user" isSelected={value === 'user'} onChange={() => onChange('user')} />
      </ToggleGroup>
    </ToolbarItem>
  );
}

function Main({ set, views }: { set: EngineSet; views: EngineView[] }) {
  const lists = useEngineLists(useEngineEntries(set));
  const [url, setUrl] = useUrlState();
  const [dialog, setDialog] = useState<Dialog>(null);
  const alerts = useAlerts();
  const shown = useMemo(() => views.filter((v) => url.owner === 'all' || v.owner === url.owner), [views, url.owner]);
  const mayStillLoad = shown.some((v) => v.status.state !== 'failed');
  const merged = useMemo(() => mergeLists(lists, (o) => url.owner === 'all' || o === url.owner, mayStillLoad), [lists, url.owner, mayStillLoad]);
  const groups = useMemo(
    () => groupContainers(merged.containers, merged.pods, { showAll: url.show === 'all', filter: url.filter }),
    [merged.containers, merged.pods, url.show, url.filter],
  );
  const counts = merged.listed ? containerCounts(merged.containers) : undefined;
  const viewOf = (owner: Owner) => views.find((v) => v.owner === owner);
  // An engine that failed or lost its bridge says so in its own block.
  const loadErrors = merged.loadErrors.filter(({ owner }) => viewOf(owner)?.status.state === 'connected').map(({ owner, error }) => (
    <Alert key={owner} variant="danger" isInline title={fmt('Could not load the lists of $0', engineName(viewOf(owner) ?? { owner, label: owner }))}>
      {errorText(error)}
    </Alert>
  ));
  const pullOwner = url.owner === 'all' ? undefined : url.owner;

  return (
    <>
      <PageSection>
        {shown.map((v) => (
          <EngineStatus key={v.owner} engine={v} />
        ))}
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
                <OwnerToggle views={views} value={url.owner} onChange={(owner) => setUrl({ owner })} />
                <ToolbarItem>
                  <Button variant="primary" onClick={() => setDialog({ kind: 'container', owner: pullOwner })}>
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
            {loadErrors}
            {merged.loading ? (
              <Spinner aria-label={_('Loading containers')} />
            ) : groups.length ? (
              <ContainersTables groups={groups} stats={merged.stats} />
            ) : mayStillLoad ? (
              <EmptyState headingLevel="h2" titleText={url.filter ? _('No container matches the filter') : _('No containers')}>
                <EmptyStateBody>{url.show === 'running' ? _('No container is running. Show all containers, or create one.') : _('Create a container or a pod to start.')}</EmptyStateBody>
              </EmptyState>
            ) : null}
          </Tab>
          <Tab eventKey="images" title={<TabTitleText>{merged.imagesListed ? fmt('Images ($0)', merged.images.length) : _('Images')}</TabTitleText>}>
            <Toolbar>
              <ToolbarContent>
                <OwnerToggle views={views} value={url.owner} onChange={(owner) => setUrl({ owner })} />
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
            {merged.imagesLoading ? (
              <Spinner aria-label={_('Loading images')} />
            ) : !merged.imagesListed ? null : (
              <ImagesTable images={merged.images} containers={merged.containers} onRun={(image, owner) => setDialog({ kind: 'container', image, owner })} />
            )}
          </Tab>
        </Tabs>
      </PageSection>
      {dialog?.kind === 'container' && (
        <CreateContainerModal images={merged.images} pods={merged.pods} initialImage={dialog.image} initialOwner={dialog.owner} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'pod' && <CreatePodModal images={merged.images} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'pull' && <PullImageModal initialOwner={pullOwner} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'prune' && (
        <ConfirmModal
          title={_('Prune unused images?')}
          body={
            shown.length > 1
              ? _('In every engine shown, images without a name are deleted; with the option below, every image no container uses.')
              : _('Images without a name are deleted; with the option below, every image no container uses.')
          }
          option={{ label: _('Also delete named images no container uses'), initial: false }}
          confirmLabel={_('Prune')}
          danger
          onConfirm={async (all) => {
            for (const v of shown.filter((x) => x.status.state === 'connected')) {
              try {
                const r = await v.client.call<{ deleted: string[]; spaceReclaimed: number }>('images.prune', { all });
                alerts.success(fmt('Deleted $0 images of $1, $2 freed', r.deleted.length, engineName(v), formatBytes(r.spaceReclaimed)));
              } catch (e) {
                alerts.error(fmt('Could not prune the images of $0', engineName(v)), e);
              }
            }
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}

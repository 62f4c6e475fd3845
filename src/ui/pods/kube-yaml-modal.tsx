/** The Kubernetes YAML of a pod (engine.kube.generate): shown, and downloadable as NAME.yaml. */
import type { PodSummary } from '../../engine/types/pod.js';
import { useCall } from '../common/use-call.js';
import { Loaded } from '../containers/container-details.js';
import { _, fmt } from '../i18n.js';
import { Button, CodeBlock, CodeBlockCode, Modal, ModalBody, ModalFooter, ModalHeader } from '../pf.js';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.yaml`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function KubeYamlModal({ pod, onClose }: { pod: PodSummary; onClose(): void }) {
  const yaml = useCall<string>('kube.generate', { name: pod.Id }, [pod.Id]);
  return (
    <Modal isOpen variant="large" onClose={onClose} aria-labelledby="kube-yaml-title">
      <ModalHeader title={fmt('Kubernetes YAML of pod $0', pod.Name)} labelId="kube-yaml-title" />
      <ModalBody>
        <Loaded state={yaml} what={fmt('pod $0', pod.Name)}>
          {(text) => (
            <CodeBlock>
              <CodeBlockCode aria-label={_('Kubernetes YAML')}>{text}</CodeBlockCode>
            </CodeBlock>
          )}
        </Loaded>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" isDisabled={!yaml.data} onClick={() => yaml.data && download(pod.Name, yaml.data)}>
          {_('Download')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {_('Close')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

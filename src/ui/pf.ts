/**
 * The PatternFly components the page uses, imported one by one from their own modules (not the
 * package index), so the bundle carries only their code and CSS.
 */
export { Alert, AlertActionCloseButton, AlertActionLink, AlertGroup } from '@patternfly/react-core/dist/esm/components/Alert/index.js';
export { Button } from '@patternfly/react-core/dist/esm/components/Button/index.js';
export { Checkbox } from '@patternfly/react-core/dist/esm/components/Checkbox/index.js';
export { CodeBlock, CodeBlockCode } from '@patternfly/react-core/dist/esm/components/CodeBlock/index.js';
export { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core/dist/esm/components/DescriptionList/index.js';
export { Dropdown, DropdownItem, DropdownList } from '@patternfly/react-core/dist/esm/components/Dropdown/index.js';
export { EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter } from '@patternfly/react-core/dist/esm/components/EmptyState/index.js';
export { Form, FormGroup, FormHelperText } from '@patternfly/react-core/dist/esm/components/Form/index.js';
export { FormSelect, FormSelectOption } from '@patternfly/react-core/dist/esm/components/FormSelect/index.js';
export { HelperText, HelperTextItem } from '@patternfly/react-core/dist/esm/components/HelperText/index.js';
export { Label } from '@patternfly/react-core/dist/esm/components/Label/index.js';
export { MenuToggle } from '@patternfly/react-core/dist/esm/components/MenuToggle/index.js';
export { Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core/dist/esm/components/Modal/index.js';
export { PageSection } from '@patternfly/react-core/dist/esm/components/Page/index.js';
export { Progress } from '@patternfly/react-core/dist/esm/components/Progress/index.js';
export { SearchInput } from '@patternfly/react-core/dist/esm/components/SearchInput/index.js';
export { Spinner } from '@patternfly/react-core/dist/esm/components/Spinner/index.js';
export { Tab, Tabs, TabTitleText } from '@patternfly/react-core/dist/esm/components/Tabs/index.js';
export { TextArea } from '@patternfly/react-core/dist/esm/components/TextArea/index.js';
export { TextInput } from '@patternfly/react-core/dist/esm/components/TextInput/index.js';
export { Title } from '@patternfly/react-core/dist/esm/components/Title/index.js';
export { ToggleGroup, ToggleGroupItem } from '@patternfly/react-core/dist/esm/components/ToggleGroup/index.js';
export { Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core/dist/esm/components/Toolbar/index.js';
export { Flex, FlexItem } from '@patternfly/react-core/dist/esm/layouts/Flex/index.js';
export { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table/dist/esm/components/Table/index.js';

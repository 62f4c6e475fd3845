import { VfsDriver } from '../../../src/engine/storage/vfs-driver.js';
import { driverConformance } from './driver-conformance.js';

driverConformance('vfs', (home) => new VfsDriver(home));

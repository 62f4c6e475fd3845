/** A minimal busybox root filesystem as a tar. */
export function busyboxRootfsTar(): Buffer;

/*
 * selkie-mount: mount(2) and umount2(2) for the engine, which Node cannot call itself. mount(8) and
 * umount(8) do the same but load libmount, read the mount table and parse fstab first: about 10 ms
 * each on the path of every `run`, where this takes well under one.
 *
 *   selkie-mount overlay DIR OPTIONS TARGET   mount an overlay; relative layer paths in OPTIONS are
 *                                             relative to DIR ("ro" becomes MS_RDONLY)
 *   selkie-mount bind SOURCE TARGET           bind-mount SOURCE on TARGET (a namespace file)
 *   selkie-mount umount [--lazy] TARGET       unmount TARGET
 *   selkie-mount netns FILE                   a new network namespace with its loopback up, kept by
 *                                             a bind mount on FILE (which must exist): what
 *                                             `unshare --net=FILE ip link set lo up` does in two
 *                                             programs, as `ip netns add` does it (the namespace's
 *                                             own process binds it)
 *
 * Exit status as mount(8): 0 done, 32 the mount or unmount failed (the reason on stderr, with the
 * kernel's words: "busy", "not mounted", ...), 1 bad usage.
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#define FAILED 32

static int usage(void) {
  fprintf(stderr, "usage: selkie-mount overlay DIR OPTIONS TARGET | bind SOURCE TARGET | umount [--lazy] TARGET | netns FILE\n");
  return 1;
}

/* Moves the "ro" and "rw" options out of the overlay's data into mount flags; the rest stays as given. */
static unsigned long take_flags(char *options) {
  unsigned long flags = 0;
  char *out = options;
  char *save = NULL;
  char *copy = strdup(options);
  if (!copy) return 0;
  out[0] = '\0';
  for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
    if (strcmp(opt, "ro") == 0) {
      flags |= MS_RDONLY;
      continue;
    }
    if (strcmp(opt, "rw") == 0) continue;
    if (out[0]) strcat(out, ",");
    strcat(out, opt);
  }
  free(copy);
  return flags;
}

static int mount_overlay(const char *dir, char *options, const char *target) {
  if (chdir(dir) != 0) {
    fprintf(stderr, "selkie-mount: cannot enter %s: %s\n", dir, strerror(errno));
    return FAILED;
  }
  unsigned long flags = take_flags(options);
  if (mount("overlay", target, "overlay", flags, options) != 0) {
    fprintf(stderr, "selkie-mount: mounting overlay on %s: %s\n", target, strerror(errno));
    return FAILED;
  }
  return 0;
}

static int bind_mount(const char *source, const char *target) {
  if (mount(source, target, NULL, MS_BIND, NULL) != 0) {
    fprintf(stderr, "selkie-mount: bind-mounting %s on %s: %s\n", source, target, strerror(errno));
    return FAILED;
  }
  return 0;
}

static int unmount(const char *target, int lazy) {
  if (umount2(target, lazy ? MNT_DETACH : 0) != 0) {
    int e = errno;
    const char *why = e == EBUSY ? "target is busy" : e == EINVAL ? "not mounted" : strerror(e);
    fprintf(stderr, "selkie-mount: unmounting %s: %s\n", target, why);
    return FAILED;
  }
  return 0;
}

static int new_netns(const char *file) {
  if (unshare(CLONE_NEWNET) != 0) {
    fprintf(stderr, "selkie-mount: creating a network namespace: %s\n", strerror(errno));
    return FAILED;
  }
  if (mount("/proc/self/ns/net", file, NULL, MS_BIND, NULL) != 0) {
    fprintf(stderr, "selkie-mount: bind-mounting the network namespace on %s: %s\n", file, strerror(errno));
    return FAILED;
  }
  struct ifreq req;
  memset(&req, 0, sizeof req);
  strcpy(req.ifr_name, "lo");
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &req) != 0 || (req.ifr_flags |= IFF_UP, ioctl(sock, SIOCSIFFLAGS, &req)) != 0) {
    fprintf(stderr, "selkie-mount: bringing up the loopback of the network namespace on %s: %s\n", file, strerror(errno));
    umount2(file, MNT_DETACH);
    return FAILED;
  }
  close(sock);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  const char *op = argv[1];
  if (strcmp(op, "overlay") == 0 && argc == 5) return mount_overlay(argv[2], argv[3], argv[4]);
  if (strcmp(op, "bind") == 0 && argc == 4) return bind_mount(argv[2], argv[3]);
  if (strcmp(op, "umount") == 0 && argc == 3) return unmount(argv[2], 0);
  if (strcmp(op, "umount") == 0 && argc == 4 && strcmp(argv[2], "--lazy") == 0) return unmount(argv[3], 1);
  if (strcmp(op, "netns") == 0 && argc == 3) return new_netns(argv[2]);
  return usage();
}

/*
 * selkie (build/native/selkie, what bin/selkie points at): the command users run. It starts Node once
 * on the CLI script, dist/cli/selkie.cjs, found from this program's own location (../../dist/cli from
 * build/native), with `node` looked up in PATH as `#!/usr/bin/env -S node --` did.
 *
 * Before that, it decides what the script's entry (cli/entry.ts, needsUsernsReexec) would: a user
 * other than root, not already inside its user namespace (_SELKIE_USERNS_UID unset), running a command
 * other than help or version, needs the user's user namespace. This program is single-threaded, so it
 * enters the namespace itself (userns-enter.c: join the pause process, or create it) and then execs
 * Node, where a Node process would have to start a helper and a second Node and wait for it. It sets
 * what the inner run reads: _SELKIE_USERNS_UID/_GID (the real IDs: inside, the user is root), HOME and
 * USER (inside, the passwd lookup would say root). Everything is exec: the pid systemd or a shell
 * started is Node's, so signals, the exit status, LISTEN_PID with its fds 3... and NOTIFY_SOCKET need no
 * forwarding. _SELKIE_LAUNCHED_AS carries the path this program was run by (the kernel's AT_EXECFN, what
 * a #! interpreter is given), which the entry puts back as process.argv[1].
 *
 * For `exec` and the other commands that start programs (starts_programs), before exec'ing Node it
 * also starts Selkie's program spawner (selkie-spawner --fds R W, beside this program): forked from
 * this small process it costs well under a millisecond, where Node's own fork of itself costs 5-10 ms
 * of its main thread (and loading child_process), and sharing this process's stdin/stdout/stderr it
 * runs `runc exec` on the CLI's own stdio. Node finds the pipes in
 * _SELKIE_SPAWNER_FDS (src/cli/inherited-spawner.ts); the spawner dies with the process that is Node
 * (PR_SET_PDEATHSIG). SELKIE_SPAWNER=0 starts none.
 *
 * NODE_EXTRA_CA_CERTS is handed on as _SELKIE_EXTRA_CA_CERTS: Node would read and parse every
 * certificate in that file before running any code (about 40 ms here with Debian's whole bundle),
 * and most commands make no TLS connection. The CLI puts the variable back in its environment, for
 * its children, and the registry client adds those CAs when it connects (registry/tls-config.ts).
 *
 * Errors: one "Error: ..." line; 125 for Selkie's own (missing script, namespace set-up), 127 when
 * node is not on PATH, 126 when it cannot be run.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "userns-enter.h"

#define SCRIPT_FROM_REPO "/dist/cli/selkie.cjs"

/* dist/cli/selkie.cjs of the tree this program was built into (REPO/build/native/selkie). */
static void cli_script(char *out, size_t size) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) userns_die("cannot find the selkie launcher's own path (/proc/self/exe): %s", strerror(errno));
  exe[n] = 0;
  char *dir = exe;
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(dir, '/');
    if (!slash) userns_die("the selkie launcher %s is not in a build/native directory of a Selkie tree", exe);
    *slash = 0;
  }
  if ((size_t)snprintf(out, size, "%s%s", exe, SCRIPT_FROM_REPO) >= size) userns_die("the path of the Selkie tree %s is too long", exe);
  if (access(out, R_OK) < 0) {
    userns_die("the Selkie CLI %s is missing (%s): build it with npm run build", out, strerror(errno));
  }
}

/* Whether this run must enter the user's user namespace: the same rules as needsUsernsReexec (cli/userns-reexec.ts). */
static int needs_userns(int argc, char **argv) {
  if (getuid() == 0 || getenv("_SELKIE_USERNS_UID") != NULL) return 0;
  if (argc == 1) return 0;
  if (argc == 2) {
    static const char *const no_namespace[] = {"--help", "-h", "--version", "-v", "help"};
    for (size_t i = 0; i < sizeof no_namespace / sizeof no_namespace[0]; i++) {
      if (strcmp(argv[1], no_namespace[i]) == 0) return 0;
    }
  }
  return 1;
}

static void set_number(const char *name, unsigned long value) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lu", value);
  setenv(name, buf, 1);
}

/* What the inner run reads, then the namespace (runs as the user's root from here on). */
static void enter_user_namespace(void) {
  uid_t uid = getuid();
  set_number("_SELKIE_USERNS_UID", (unsigned long)uid);
  set_number("_SELKIE_USERNS_GID", (unsigned long)getgid());
  const char *home = getenv("HOME"), *user = getenv("USER");
  if (!home || !*home || !user || !*user) {
    struct passwd *pw = getpwuid(uid);
    if (pw && (!home || !*home)) setenv("HOME", pw->pw_dir, 1);
    if (pw && (!user || !*user)) setenv("USER", pw->pw_name, 1);
  }
  char rundir[PATH_MAX];
  const char *xdg = getenv("XDG_RUNTIME_DIR");
  if (xdg && *xdg) {
    if ((size_t)snprintf(rundir, sizeof rundir, "%s/selkie", xdg) >= sizeof rundir) userns_die("XDG_RUNTIME_DIR is too long: %s", xdg);
  } else {
    snprintf(rundir, sizeof rundir, "/tmp/selkie-%lu", (unsigned long)uid);
  }
  userns_enter(rundir);
}

/*
 * Whether the command is one that starts programs (the runtime, mounts, network tools): exec, which
 * runs the runtime on the CLI's own stdio through the spawner, and the container and pod life-cycle
 * commands, conmon's exit command (container cleanup) among them. Any argument that is such a word
 * counts: a wrong guess costs one idle fork, and other commands start their spawner from Node when
 * they first need one (many never do).
 */
static int starts_programs(int argc, char **argv) {
  static const char *const words[] = {"exec", "run", "start", "stop", "restart", "kill", "rm", "pod", "cleanup", "pause", "unpause", "mount", "umount", "top"};
  for (int i = 1; i < argc; i++)
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
      if (strcmp(argv[i], words[w]) == 0) return 1;
  return 0;
}

/* The spawner, forked now (see above); on any failure Node simply starts its own later. */
static void start_spawner(int argc, char **argv) {
  const char *off = getenv("SELKIE_SPAWNER");
  if (off && strcmp(off, "0") == 0) return;
  if (!starts_programs(argc, argv)) return;
  char spawner[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", spawner, sizeof spawner - 32);
  if (n <= 0) return;
  spawner[n] = '\0';
  char *slash = strrchr(spawner, '/');
  if (!slash) return;
  strcpy(slash + 1, "selkie-spawner");
  if (access(spawner, X_OK) != 0) return;
  int req[2], resp[2];
  if (pipe2(req, O_CLOEXEC) != 0) return;
  if (pipe2(resp, O_CLOEXEC) != 0) {
    close(req[0]);
    close(req[1]);
    return;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    /* Nothing but its two pipes past stderr (not the activation sockets Node gets). */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      for (int fd = 3; fd < 1024; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    fcntl(req[0], F_SETFD, 0);
    fcntl(resp[1], F_SETFD, 0);
    char r[16], w[16];
    snprintf(r, sizeof r, "%d", req[0]);
    snprintf(w, sizeof w, "%d", resp[1]);
    execl(spawner, "selkie-spawner", "--fds", r, w, (char *)NULL);
    _exit(127);
  }
  close(req[0]);
  close(resp[1]);
  if (pid < 0) {
    close(req[1]);
    close(resp[0]);
    return;
  }
  fcntl(req[1], F_SETFD, 0);
  fcntl(resp[0], F_SETFD, 0);
  char fds[48];
  snprintf(fds, sizeof fds, "%d,%d,%ld", req[1], resp[0], (long)pid);
  setenv("_SELKIE_SPAWNER_FDS", fds, 1);
}

static void defer_extra_ca_certs(void) {
  const char *file = getenv("NODE_EXTRA_CA_CERTS");
  if (!file) return;
  setenv("_SELKIE_EXTRA_CA_CERTS", file, 1); /* copies the value before the original goes */
  unsetenv("NODE_EXTRA_CA_CERTS");
}

/*
 * glibc's allocator, tuned for Node's pattern of many short-lived buffers of 64 KB-1 MB (a pull
 * streams hundreds of MB through them): with the defaults, malloc hands freed memory back to the
 * kernel as soon as 128-256 KB of it lie at the top of a heap, and takes it again on the next
 * allocation, each time a page fault per 4 KB (expensive in a VM); and each thread gets an arena of
 * its own, where memory another thread freed cannot be reused. Measured on a cold pull of the 200 MB
 * fixture: 10-15% less wall time and ~25 MB less peak memory. A GLIBC_TUNABLES the user set stands.
 * The CLI takes the variable out of its environment (cli/launcher.ts): its children get the defaults.
 */
#define MALLOC_TUNABLES "glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=1048576:glibc.malloc.arena_max=2"

static void tune_allocator(void) {
  if (getenv("GLIBC_TUNABLES")) return;
  setenv("GLIBC_TUNABLES", MALLOC_TUNABLES, 1);
  setenv("_SELKIE_TUNED_MALLOC", "1", 1);
}

int main(int argc, char **argv) {
  char script[PATH_MAX];
  cli_script(script, sizeof script);
  const char *execfn = (const char *)getauxval(AT_EXECFN);
  setenv("_SELKIE_LAUNCHED_AS", execfn && *execfn ? execfn : argv[0], 1);
  if (needs_userns(argc, argv)) enter_user_namespace();
  start_spawner(argc, argv);
  defer_extra_ca_certs();
  tune_allocator(); /* after the spawner's fork: it and what it runs keep the defaults */

  /* node -- SCRIPT ARGS...: '--' ends Node's own options (a container's --env-file is not Node's). */
  char **node_argv = calloc((size_t)argc + 3, sizeof *node_argv);
  if (!node_argv) userns_die("out of memory");
  node_argv[0] = "node";
  node_argv[1] = "--";
  node_argv[2] = script;
  for (int i = 1; i < argc; i++) node_argv[i + 2] = argv[i];
  execvp("node", node_argv);
  int e = errno;
  fprintf(stderr, "Error: cannot run node for Selkie: %s%s\n", strerror(e),
          e == ENOENT ? ": it is not on PATH (Selkie needs Node.js 20 or later)" : "");
  return e == ENOENT ? 127 : 126;
}

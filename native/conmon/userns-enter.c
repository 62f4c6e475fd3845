/*
 * Entering a rootless user's user namespace (shared by selkie-userns and the launcher, selkie-launcher.c).
 *
 * One long-lived pause process (comm "selkie-pause") holds the user and mount namespaces; its pid and
 * start time are in RUNDIR/pause.pid. A valid pause process is joined with setns(2) (the caller must
 * be single-threaded, which Node is not); a missing or stale one (dead pid, or the pid reused by
 * another process) is replaced: a child unshares user+mount namespaces, the parent maps it with
 * newuidmap/newgidmap (the user's UID -> 0, its /etc/subuid ranges -> 1..N), and the child pauses.
 * RUNDIR/pause.lock serialises the creation. Errors: one "Error: ..." line, exit 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "userns-enter.h"

#define PAUSE_NAME "selkie-pause"
#define MAX_RANGES 16

struct range {
  unsigned long start, count;
};

void userns_die(const char *fmt, ...) {
  va_list ap;
  fputs("Error: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(125);
}

/* Field 22 of /proc/PID/stat (start time in clock ticks), 0 when the process does not exist or is a zombie. */
static unsigned long long start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')'); /* comm may hold spaces */
  if (!p || p[1] == 0) return 0;
  p += 2; /* field 3: the state; a zombie (killed, not yet reaped) is as good as gone */
  if (*p == 'Z' || *p == 'X') return 0;
  for (int field = 3; field < 22 && p; field++) {
    p = strchr(p, ' ');
    if (p) p++;
  }
  return p ? strtoull(p, NULL, 10) : 0;
}

/* Whether PID is this user's pause process started at START. */
static int pause_valid(pid_t pid, unsigned long long start) {
  if (pid <= 0 || start == 0 || start_time(pid) != start) return 0;
  char path[64], comm[64] = {0};
  snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, comm, sizeof comm - 1);
  close(fd);
  if (n <= 0 || strncmp(comm, PAUSE_NAME, strlen(PAUSE_NAME)) != 0) return 0;
  struct stat st;
  snprintf(path, sizeof path, "/proc/%d", (int)pid);
  return stat(path, &st) == 0 && st.st_uid == getuid();
}

static int read_pid_file(const char *file, pid_t *pid, unsigned long long *start) {
  FILE *f = fopen(file, "re");
  if (!f) return 0;
  int p = 0;
  int ok = fscanf(f, "%d %llu", &p, start) == 2;
  fclose(f);
  *pid = p;
  return ok;
}

/* The user's ranges in FILE (/etc/subuid or /etc/subgid), by name or numeric id. */
static int read_ranges(const char *file, const char *name, unsigned long id, struct range *out) {
  FILE *f = fopen(file, "re");
  if (!f) return 0;
  char line[512], idstr[32];
  snprintf(idstr, sizeof idstr, "%lu", id);
  int n = 0;
  while (n < MAX_RANGES && fgets(line, sizeof line, f)) {
    char *owner = strtok(line, ":\n"), *s = strtok(NULL, ":\n"), *c = strtok(NULL, ":\n");
    if (!owner || !s || !c || (strcmp(owner, name) != 0 && strcmp(owner, idstr) != 0)) continue;
    out[n].start = strtoul(s, NULL, 10);
    out[n].count = strtoul(c, NULL, 10);
    if (out[n].count > 0) n++;
  }
  fclose(f);
  return n;
}

/* Runs TOOL PID 0 ID 1 ... (one line per range), as newuidmap(1) wants. */
static void run_map_tool(const char *tool, pid_t pid, unsigned long id, const struct range *r, int n) {
  char *argv[4 + 3 + 3 * MAX_RANGES + 1];
  char buf[3 + 3 * MAX_RANGES + 2][24];
  int a = 0, b = 0;
  argv[a++] = (char *)tool;
  snprintf(buf[b], 24, "%d", (int)pid), argv[a++] = buf[b++];
  argv[a++] = "0";
  snprintf(buf[b], 24, "%lu", id), argv[a++] = buf[b++];
  argv[a++] = "1";
  unsigned long next = 1;
  for (int i = 0; i < n; i++) {
    snprintf(buf[b], 24, "%lu", next), argv[a++] = buf[b++];
    snprintf(buf[b], 24, "%lu", r[i].start), argv[a++] = buf[b++];
    snprintf(buf[b], 24, "%lu", r[i].count), argv[a++] = buf[b++];
    next += r[i].count;
  }
  argv[a] = NULL;
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) < 0) userns_die("pipe: %s", strerror(errno));
  pid_t child = fork();
  if (child < 0) userns_die("fork: %s", strerror(errno));
  if (child == 0) {
    dup2(errpipe[1], 2);
    execvp(tool, argv);
    int e = errno;
    (void)!write(errpipe[1], e == ENOENT ? "ENOENT" : strerror(e), strlen(e == ENOENT ? "ENOENT" : strerror(e)));
    _exit(127);
  }
  close(errpipe[1]);
  char msg[512] = {0};
  size_t got = 0;
  ssize_t k;
  while (got < sizeof msg - 1 && (k = read(errpipe[0], msg + got, sizeof msg - 1 - got)) > 0) got += (size_t)k;
  close(errpipe[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  kill(pid, SIGKILL);
  char *nl = strchr(msg, '\n');
  if (nl) *nl = 0;
  if (strcmp(msg, "ENOENT") == 0) {
    userns_die("%s is not installed, so the rootless user namespace cannot be set up: install the uidmap package (apt-get install uidmap)", tool);
  }
  userns_die("%s failed for the rootless user namespace: %s: check the ranges in /etc/subuid and /etc/subgid and that %s is setuid root", tool,
      msg[0] ? msg : "exit status non-zero", tool);
}

static void become_pause(int ready_w, int go_r) {
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
    char c = 'e';
    (void)!write(ready_w, &c, 1);
    _exit(1);
  }
  char c = 'r';
  (void)!write(ready_w, &c, 1);
  close(ready_w);
  if (read(go_r, &c, 1) != 1 || c != 'g') _exit(1);
  close(go_r);
  setsid();
  prctl(PR_SET_NAME, PAUSE_NAME, 0, 0, 0);
  /* Mounts made inside stay inside; the host's later mounts still show. */
  mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
  if (chdir("/") < 0) _exit(1);
  int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; fd++) dup2(null, fd);
  for (int fd = 3; fd < 1024; fd++) close(fd);
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  for (;;) pause();
}

static pid_t create_pause(const char *pid_file, const char *user, unsigned long uid, unsigned long gid) {
  struct range ur[MAX_RANGES], gr[MAX_RANGES];
  int nu = read_ranges("/etc/subuid", user, uid, ur);
  if (nu == 0) {
    userns_die("user %s has no subordinate UID range in /etc/subuid, which rootless containers need: add one as root: "
        "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 %s",
        user, user);
  }
  int ng = read_ranges("/etc/subgid", user, uid, gr);
  if (ng == 0) {
    userns_die("user %s has no subordinate GID range in /etc/subgid, which rootless containers need: add one as root: "
        "usermod --add-subgids 100000-165535 %s",
        user, user);
  }
  int ready[2], go[2];
  if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) userns_die("pipe: %s", strerror(errno));
  pid_t child = fork();
  if (child < 0) userns_die("fork: %s", strerror(errno));
  if (child == 0) {
    close(ready[0]);
    close(go[1]);
    become_pause(ready[1], go[0]);
  }
  close(ready[1]);
  close(go[0]);
  char c = 0;
  if (read(ready[0], &c, 1) != 1 || c != 'r') {
    waitpid(child, NULL, 0);
    userns_die("cannot create a user namespace (unshare: operation not permitted): check that unprivileged user namespaces are enabled "
        "(sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0)");
  }
  close(ready[0]);
  run_map_tool("newuidmap", child, uid, ur, nu);
  run_map_tool("newgidmap", child, gid, gr, ng);
  c = 'g';
  if (write(go[1], &c, 1) != 1) userns_die("cannot start the pause process");
  close(go[1]);
  unsigned long long st = 0;
  for (int i = 0; i < 100 && (st = start_time(child)) == 0; i++) usleep(1000);
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%d.tmp", pid_file, (int)getpid());
  FILE *f = fopen(tmp, "we");
  if (!f || fprintf(f, "%d %llu\n", (int)child, st) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 ||
      rename(tmp, pid_file) < 0) {
    kill(child, SIGKILL);
    unlink(tmp);
    userns_die("cannot write %s: %s", pid_file, strerror(errno));
  }
  return child;
}

static void join(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
  int userfd = open(path, O_RDONLY | O_CLOEXEC);
  snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
  int mntfd = open(path, O_RDONLY | O_CLOEXEC);
  if (userfd < 0 || mntfd < 0) userns_die("cannot open the namespaces of the pause process %d: %s", (int)pid, strerror(errno));
  char cwd[4096];
  int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
  if (setns(userfd, CLONE_NEWUSER) < 0) userns_die("cannot join the user namespace of pause process %d: %s", (int)pid, strerror(errno));
  if (setns(mntfd, CLONE_NEWNS) < 0) userns_die("cannot join the mount namespace of pause process %d: %s", (int)pid, strerror(errno));
  close(userfd);
  close(mntfd);
  if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) userns_die("cannot become root in the user namespace: %s", strerror(errno));
  setgroups(0, NULL); /* may be refused (setgroups deny): harmless */
  if (have_cwd && chdir(cwd) < 0 && chdir("/") < 0) userns_die("chdir: %s", strerror(errno));
}

void userns_enter(const char *rundir) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (uid == 0) userns_die("the rootless user namespace is for users other than root; root needs none");
  if (mkdir(rundir, 0700) < 0 && errno != EEXIST) userns_die("cannot create the run directory %s: %s", rundir, strerror(errno));
  struct stat rst;
  if (lstat(rundir, &rst) < 0 || !S_ISDIR(rst.st_mode) || rst.st_uid != uid) {
    userns_die("the run directory %s is not a directory owned by you (uid %lu): remove it, or set XDG_RUNTIME_DIR to a directory of yours", rundir,
        (unsigned long)uid);
  }
  char pid_file[4096], lock_file[4096];
  snprintf(pid_file, sizeof pid_file, "%s/pause.pid", rundir);
  snprintf(lock_file, sizeof lock_file, "%s/pause.lock", rundir);

  pid_t pid = 0;
  unsigned long long st = 0;
  if (!(read_pid_file(pid_file, &pid, &st) && pause_valid(pid, st))) {
    int lock = open(lock_file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) < 0) userns_die("cannot lock %s: %s", lock_file, strerror(errno));
    /* Another process may have made it while we waited for the lock. */
    if (!(read_pid_file(pid_file, &pid, &st) && pause_valid(pid, st))) {
      /* The user's name, for its /etc/subuid lines (looked up only here: joining needs no passwd lookup). */
      struct passwd *pw = getpwuid(uid);
      char user[256];
      if (pw) snprintf(user, sizeof user, "%s", pw->pw_name);
      else snprintf(user, sizeof user, "%lu", (unsigned long)uid);
      pid = create_pause(pid_file, user, (unsigned long)uid, (unsigned long)gid);
    }
    close(lock);
  }
  join(pid);
}

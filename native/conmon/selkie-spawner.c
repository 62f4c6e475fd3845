/*
 * selkie-spawner: starts programs for the engine. Node's child_process forks the whole Node process
 * and blocks until the child has exec'd: 5-10 ms of the CLI's main thread per program, and a `run`
 * starts about ten (runc start/delete, ip, unshare, selkie-mount...). This small process is started
 * once and starts each program with posix_spawn (vfork: no page tables copied) while the CLI goes on.
 *
 * Requests on stdin, responses on stdout, any number in flight; or, started as `selkie-spawner --fds
 * R W` (by the launcher, build/native/selkie, before it execs Node), requests on fd R and responses
 * on fd W, its own stdin/stdout/stderr being the CLI's, which a program may then share (flags). Each
 * frame is a little-endian u32 body length followed by the body. All integers are u32 little-endian.
 *
 *   spawn request:  'S' id nargs nenv stdin_len flags cwd\0 arg\0... env\0... [hold\0] stdin-bytes
 *                   (nenv 0xffffffff: the spawner's own environment; cwd "": the spawner's)
 *                   flags: 1 capture stdout; 2 stdout is the spawner's stdout; 4 stdin is the
 *                   spawner's stdin (stdin_len 0); 8 stderr is held back until the file `hold`
 *                   exists, then passed to the spawner's stderr as it comes (what was held and not
 *                   passed is in the response)
 *   kill request:   'K' id signal          (signals the program of request id, if it still runs)
 *   response:       id status errno stdout_len stderr_len stdout-bytes stderr-bytes
 *                   status: the exit code, 128+N when killed by signal N, 0xffffffff when the
 *                   program could not be started (errno says why)
 *
 * The program's stdin is the request's bytes (then closed), stdout is captured (or /dev/null),
 * stderr is captured. At end of input the spawner waits for what it started, answers, and exits.
 * SIGINT and SIGTERM are ignored here (they reach the programs, which get default handlers).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct buf {
  char *data;
  size_t len, cap;
};

struct job {
  uint32_t id;
  pid_t pid;
  int pidfd, in_fd, out_fd, err_fd;
  struct buf input; /* what is left to write to the program's stdin */
  size_t input_off;
  struct buf out, err;
  int exited;
  int status;
  char *hold; /* HOLD_STDERR: the file whose existence releases stderr */
  int passing; /* stderr now goes to our stderr as it comes */
  struct job *next;
};

static struct job *jobs;
static struct buf request;
static int input_open = 1;
static int in_fd = STDIN_FILENO, out_fd = STDOUT_FILENO;

enum { CAPTURE_STDOUT = 1, SHARE_STDOUT = 2, SHARE_STDIN = 4, HOLD_STDERR = 8 };

static void die(const char *what) {
  fprintf(stderr, "selkie-spawner: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void buf_add(struct buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) die("out of memory");
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static uint32_t get_u32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static void put_u32(struct buf *b, uint32_t v) {
  unsigned char u[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
  buf_add(b, u, 4);
}

static void write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) exit(0); /* the engine is gone: nobody to answer */
    p += w;
    n -= (size_t)w;
  }
}

static void respond(uint32_t id, uint32_t status, uint32_t err, const struct buf *out, const struct buf *errbuf) {
  struct buf r = {0};
  size_t outlen = out ? out->len : 0, errlen = errbuf ? errbuf->len : 0;
  put_u32(&r, (uint32_t)(20 + outlen + errlen));
  put_u32(&r, id);
  put_u32(&r, status);
  put_u32(&r, err);
  put_u32(&r, (uint32_t)outlen);
  put_u32(&r, (uint32_t)errlen);
  if (outlen) buf_add(&r, out->data, outlen);
  if (errlen) buf_add(&r, errbuf->data, errlen);
  write_all(out_fd, r.data, r.len);
  free(r.data);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* Splits `count` NUL-terminated strings off p..end into a NULL-terminated array; NULL if malformed. */
static char **strings(const char **p, const char *end, uint32_t count) {
  if (count > 65536) return NULL;
  char **v = calloc(count + 1, sizeof(char *));
  if (!v) die("out of memory");
  for (uint32_t i = 0; i < count; i++) {
    const char *nul = memchr(*p, '\0', (size_t)(end - *p));
    if (!nul) {
      free(v);
      return NULL;
    }
    v[i] = (char *)*p;
    *p = nul + 1;
  }
  return v;
}

static void start_job(const char *body, size_t len) {
  if (len < 21) return;
  uint32_t id = get_u32(body + 1), nargs = get_u32(body + 5), nenv = get_u32(body + 9);
  uint32_t stdin_len = get_u32(body + 13), flags = get_u32(body + 17);
  int capture = (flags & CAPTURE_STDOUT) != 0;
  const char *p = body + 21, *end = body + len;
  if (stdin_len > (size_t)(end - p)) return respond(id, 0xffffffffu, EINVAL, NULL, NULL);
  end -= stdin_len;
  const char *stdin_bytes = end;
  const char *cwd = p;
  const char *nul = memchr(p, '\0', (size_t)(end - p));
  if (!nul) return respond(id, 0xffffffffu, EINVAL, NULL, NULL);
  p = nul + 1;
  char **argv = strings(&p, end, nargs);
  char **envp = nenv == 0xffffffffu ? environ : strings(&p, end, nenv);
  char **hold = (flags & HOLD_STDERR) ? strings(&p, end, 1) : NULL;
  if (!argv || !envp || nargs == 0 || ((flags & HOLD_STDERR) && !hold)) {
    free(hold);
    free(argv);
    if (envp != environ) free(envp);
    return respond(id, 0xffffffffu, EINVAL, NULL, NULL);
  }

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if (pipe2(in, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || (capture && pipe2(out, O_CLOEXEC))) die("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!(flags & SHARE_STDIN)) posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  if (capture) posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  else if (!(flags & SHARE_STDOUT)) posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  if (cwd[0]) posix_spawn_file_actions_addchdir_np(&fa, cwd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, deflt;
  sigemptyset(&none);
  sigemptyset(&deflt);
  sigaddset(&deflt, SIGINT);
  sigaddset(&deflt, SIGTERM);
  sigaddset(&deflt, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &deflt);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  free(argv);
  if (envp != environ) free(envp);
  close(in[0]);
  close(err[1]);
  if (capture) close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(err[0]);
    if (capture) close(out[0]);
    free(hold);
    return respond(id, 0xffffffffu, (uint32_t)rc, NULL, NULL);
  }

  struct job *j = calloc(1, sizeof *j);
  if (!j) die("out of memory");
  j->id = id;
  j->pid = pid;
  j->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (j->pidfd < 0) die("pidfd_open");
  j->in_fd = in[1];
  j->out_fd = capture ? out[0] : -1;
  j->err_fd = err[0];
  fcntl(j->in_fd, F_SETFL, O_NONBLOCK);
  if (stdin_len) buf_add(&j->input, stdin_bytes, stdin_len);
  else close_fd(&j->in_fd);
  if (hold) {
    j->hold = strdup(hold[0]);
    free(hold);
  }
  j->next = jobs;
  jobs = j;
}

static void kill_job(const char *body, size_t len) {
  if (len < 9) return;
  uint32_t id = get_u32(body + 1), sig = get_u32(body + 5);
  for (struct job *j = jobs; j; j = j->next) {
    if (j->id == id && !j->exited) kill(j->pid, (int)sig);
  }
}

/* Handles every complete frame in the request buffer. */
static void handle_requests(void) {
  size_t off = 0;
  while (request.len - off >= 4) {
    uint32_t n = get_u32(request.data + off);
    if (request.len - off - 4 < n) break;
    const char *body = request.data + off + 4;
    if (n > 0 && body[0] == 'S') start_job(body, n);
    else if (n > 0 && body[0] == 'K') kill_job(body, n);
    off += 4 + n;
  }
  memmove(request.data, request.data + off, request.len - off);
  request.len -= off;
}

/* Reads what is there; returns 0 at end of file. */
static int drain(int fd, struct buf *b) {
  char chunk[65536];
  ssize_t r = read(fd, chunk, sizeof chunk);
  if (r < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  if (r == 0) return 0;
  buf_add(b, chunk, (size_t)r);
  return 1;
}

/* HOLD_STDERR: once the file exists, what was held and what comes goes to our stderr. */
static void pass_stderr(struct job *j) {
  if (!j->hold || !j->err.len) return;
  if (!j->passing && access(j->hold, F_OK) == 0) j->passing = 1;
  if (!j->passing) return;
  size_t off = 0;
  while (off < j->err.len) {
    ssize_t w = write(STDERR_FILENO, j->err.data + off, j->err.len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  j->err.len = 0;
}

static void finish_done_jobs(void) {
  struct job **pp = &jobs;
  while (*pp) {
    struct job *j = *pp;
    if (j->exited && j->out_fd < 0 && j->err_fd < 0) {
      close_fd(&j->in_fd);
      close_fd(&j->pidfd);
      respond(j->id, (uint32_t)j->status, 0, &j->out, &j->err);
      *pp = j->next;
      free(j->input.data);
      free(j->out.data);
      free(j->err.data);
      free(j->hold);
      free(j);
    } else {
      pp = &j->next;
    }
  }
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--fds") == 0) {
    in_fd = atoi(argv[2]);
    out_fd = atoi(argv[3]);
    fcntl(in_fd, F_SETFD, FD_CLOEXEC);
    fcntl(out_fd, F_SETFD, FD_CLOEXEC);
  } else if (argc != 1) {
    fprintf(stderr, "usage: selkie-spawner [--fds REQUESTS RESPONSES]\n");
    return 1;
  }
  /* ip, nft and friends live in sbin, which a user's PATH may lack: looked in last. */
  const char *path = getenv("PATH");
  char *with_sbin = malloc((path ? strlen(path) : 0) + 64);
  if (with_sbin) {
    sprintf(with_sbin, "%s%s/usr/local/sbin:/usr/sbin:/sbin", path ? path : "/usr/bin:/bin", ":");
    setenv("PATH", with_sbin, 1);
    free(with_sbin);
  }
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  for (;;) {
    finish_done_jobs();
    if (!input_open && !jobs) return 0;
    size_t n = 1;
    for (struct job *j = jobs; j; j = j->next) n += 4;
    struct pollfd *fds = calloc(n, sizeof *fds);
    struct job **owner = calloc(n, sizeof *owner);
    if (!fds || !owner) die("out of memory");
    size_t k = 0;
    if (input_open) fds[k++] = (struct pollfd){.fd = in_fd, .events = POLLIN};
    for (struct job *j = jobs; j; j = j->next) {
      if (j->in_fd >= 0) owner[k] = j, fds[k++] = (struct pollfd){.fd = j->in_fd, .events = POLLOUT};
      if (j->out_fd >= 0) owner[k] = j, fds[k++] = (struct pollfd){.fd = j->out_fd, .events = POLLIN};
      if (j->err_fd >= 0) owner[k] = j, fds[k++] = (struct pollfd){.fd = j->err_fd, .events = POLLIN};
      if (!j->exited) owner[k] = j, fds[k++] = (struct pollfd){.fd = j->pidfd, .events = POLLIN};
    }
    if (poll(fds, k, -1) < 0 && errno != EINTR) die("poll");
    for (size_t i = 0; i < k; i++) {
      if (!fds[i].revents) continue;
      struct job *j = owner[i];
      int fd = fds[i].fd;
      if (!j) {
        char chunk[65536];
        ssize_t r = read(in_fd, chunk, sizeof chunk);
        if (r > 0) {
          buf_add(&request, chunk, (size_t)r);
          handle_requests();
        } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
          input_open = 0;
        }
      } else if (fd == j->in_fd) {
        ssize_t w = write(fd, j->input.data + j->input_off, j->input.len - j->input_off);
        if (w > 0) j->input_off += (size_t)w;
        if (w < 0 && errno != EAGAIN && errno != EINTR) j->input_off = j->input.len; /* it stopped reading */
        if (j->input_off >= j->input.len) close_fd(&j->in_fd);
      } else if (fd == j->out_fd) {
        if (!drain(fd, &j->out)) close_fd(&j->out_fd);
      } else if (fd == j->err_fd) {
        if (!drain(fd, &j->err)) close_fd(&j->err_fd);
        pass_stderr(j);
      } else if (fd == j->pidfd) {
        int st;
        if (waitpid(j->pid, &st, WNOHANG) == j->pid) {
          j->exited = 1;
          j->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
      }
    }
    free(fds);
    free(owner);
  }
}

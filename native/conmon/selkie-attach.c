/*
 * selkie-attach: connects this process's stdio to a container through conmon's attach socket.
 *
 *   selkie-attach SOCKET_PATH [--stdin] [--tty] [--detach-keys KEYS] [--resize CTL_FIFO] [--ready-fd N]
 *                 [--wait-ms N]
 *
 * conmon's attach socket is a SOCK_SEQPACKET unix socket (Node cannot open one). Each packet conmon
 * sends is one byte naming the stream (2 = stdout, 3 = stderr) followed by the data; packets we send
 * are raw bytes for the container's stdin. Shutting down our write side tells conmon stdin ended.
 * conmon closes the socket once the container has exited and its output is drained.
 *
 *   --stdin         relay our stdin to the container (else stdin is not read at all)
 *   --tty           the container has a terminal: put our terminal in raw mode while attached
 *   --detach-keys   key sequence that detaches (default ctrl-p,ctrl-q; "" disables); only when our
 *                   stdin is a terminal
 *   --resize FIFO   conmon's ctl fifo: send our terminal size now and on every SIGWINCH
 *   --ready-fd N    write "ok\n" to fd N once connected (or "error: MESSAGE\n"), then close it
 *   --wait-ms N     the socket may not exist yet (conmon is still starting): retry for up to N ms
 *
 * SIGINT is ignored: the caller decides what ctrl-c means (signal the container, or SIGTERM us).
 * Exit status: 0 the socket closed, 1 error, 2 usage, 3 detached by the detach keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "detach-keys.h"
#include "terminal.h"

#define STREAM_STDOUT 2
#define STREAM_STDERR 3
#define IN_BUF_SIZE 8192
#define OUT_BUF_SIZE (32768 + 1)
#define EXIT_CLOSED 0
#define EXIT_ERROR 1
#define EXIT_USAGE 2
#define EXIT_DETACHED 3

static volatile sig_atomic_t winch_pending;
static int ready_fd = -1;

static void on_winch(int sig)
{
	(void)sig;
	winch_pending = 1;
}

/* Before the ready message, errors go to the ready fd (the caller reports them); after, to stderr. */
static void fail(int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	terminal_restore();
	if (ready_fd >= 0)
		dprintf(ready_fd, "error: %s\n", msg);
	else
		fprintf(stderr, "selkie-attach: %s\n", msg);
	exit(status);
}

static int connect_attach(const char *path)
{
	struct sockaddr_un addr;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail(EXIT_ERROR, "socket: %s", strerror(errno));
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	int dirfd = -1;
	if (strlen(path) < sizeof(addr.sun_path)) {
		strcpy(addr.sun_path, path);
	} else {
		/* Too long for sun_path: go through the directory's /proc/self/fd entry, as conmon does. */
		char dir[4096], base[4096];
		if (strlen(path) >= sizeof(dir))
			fail(EXIT_ERROR, "attach socket path too long: %s", path);
		strcpy(dir, path);
		strcpy(base, path);
		dirfd = open(dirname(dir), O_PATH | O_CLOEXEC);
		if (dirfd < 0) {
			int err = errno;
			close(fd);
			return -err;
		}
		snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dirfd, basename(base));
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;
		if (dirfd >= 0)
			close(dirfd);
		close(fd);
		return -err;
	}
	if (dirfd >= 0)
		close(dirfd);
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connect, retrying while the socket is absent or not listening yet, until wait_ms have passed. */
static int connect_with_wait(const char *path, long wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	for (;;) {
		int fd = connect_attach(path);
		if (fd >= 0)
			return fd;
		int err = -fd;
		if ((err != ENOENT && err != ECONNREFUSED) || now_ms() >= deadline)
			fail(EXIT_ERROR, "cannot connect to the attach socket %s: %s", path, strerror(err));
		struct timespec pause = { .tv_sec = 0, .tv_nsec = 2 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
}

/* Write everything, waiting when the fd is non-blocking (inherited fds may be). */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd p = { .fd = fd, .events = POLLOUT };
				poll(&p, 1, -1);
				continue;
			}
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

struct relay {
	int sock;
	int stdin_open;    /* still reading our stdin */
	int shut_pending;  /* stdin ended: shut the socket's write side once pending data is out */
	int out_broken[3]; /* our stdout/stderr went away: drop their data */
	unsigned char pend[IN_BUF_SIZE + MAX_DETACH_KEYS];
	size_t pend_len;
	struct detach_keys detach;
};

static void flush_pending(struct relay *r)
{
	if (r->pend_len > 0) {
		ssize_t w = send(r->sock, r->pend, r->pend_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return; /* try again on POLLOUT */
		if (w < 0) {
			/* conmon no longer takes input: stop reading stdin. */
			r->stdin_open = 0;
			r->shut_pending = 0;
		}
		r->pend_len = 0;
	}
	if (r->shut_pending) {
		shutdown(r->sock, SHUT_WR);
		r->shut_pending = 0;
	}
}

/* Returns 1 when the socket closed. */
static int relay_output(struct relay *r)
{
	static unsigned char buf[OUT_BUF_SIZE];
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(r->sock, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ECONNRESET)
				return 1;
			fail(EXIT_ERROR, "reading the attach socket: %s", strerror(errno));
		}
		int fd = buf[0] == STREAM_STDOUT ? STDOUT_FILENO : buf[0] == STREAM_STDERR ? STDERR_FILENO : -1;
		if (fd < 0 || n == 1 || r->out_broken[fd])
			continue;
		if (write_all(fd, buf + 1, (size_t)n - 1) < 0)
			r->out_broken[fd] = 1;
	}
	return 0;
}

/* Returns 1 to detach. */
static int relay_input(struct relay *r)
{
	unsigned char buf[IN_BUF_SIZE];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0) {
		/* End of input: pass on held-back detach keys, then close the container's stdin. */
		detach_keys_release(&r->detach, r->pend, &r->pend_len);
		r->stdin_open = 0;
		r->shut_pending = 1;
		flush_pending(r);
		return 0;
	}
	if (detach_keys_filter(&r->detach, buf, (size_t)n, r->pend, &r->pend_len))
		return 1;
	flush_pending(r);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: selkie-attach SOCKET_PATH [--stdin] [--tty] [--detach-keys KEYS] [--resize CTL_FIFO] [--ready-fd N] [--wait-ms N]\n");
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	const char *socket_path = NULL, *detach_spec = "ctrl-p,ctrl-q", *resize_fifo = NULL;
	int opt_stdin = 0, opt_tty = 0;
	long wait_ms = 0;
	static struct relay r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdin") == 0)
			opt_stdin = 1;
		else if (strcmp(argv[i], "--tty") == 0)
			opt_tty = 1;
		else if (strcmp(argv[i], "--detach-keys") == 0 && i + 1 < argc)
			detach_spec = argv[++i];
		else if (strcmp(argv[i], "--resize") == 0 && i + 1 < argc)
			resize_fifo = argv[++i];
		else if (strcmp(argv[i], "--ready-fd") == 0 && i + 1 < argc)
			ready_fd = atoi(argv[++i]);
		else if (strcmp(argv[i], "--wait-ms") == 0 && i + 1 < argc)
			wait_ms = atol(argv[++i]);
		else if (argv[i][0] != '-' && socket_path == NULL)
			socket_path = argv[i];
		else
			usage();
	}
	if (socket_path == NULL)
		usage();
	if (ready_fd >= 0 && fcntl(ready_fd, F_SETFD, FD_CLOEXEC) < 0)
		ready_fd = -1;
	if (detach_keys_parse(&r.detach, detach_spec) < 0)
		fail(EXIT_USAGE, "invalid detach keys \"%s\": use keys like ctrl-p,ctrl-q or a,b", detach_spec);

	signal(SIGPIPE, SIG_IGN);
	/* ctrl-c (outside raw mode) is the caller's to handle: forward it to the container, or stop us. */
	signal(SIGINT, SIG_IGN);
	r.sock = connect_with_wait(socket_path, wait_ms);
	if (fcntl(r.sock, F_SETFL, fcntl(r.sock, F_GETFL) | O_NONBLOCK) < 0)
		fail(EXIT_ERROR, "fcntl: %s", strerror(errno));

	/* Detach keys only make sense when a person types on a terminal. */
	int stdin_tty = opt_stdin && isatty(STDIN_FILENO);
	if (!stdin_tty)
		r.detach.n = 0;
	r.stdin_open = opt_stdin;
	if (opt_tty && stdin_tty)
		terminal_make_raw();

	sigset_t block, waitmask;
	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGWINCH); /* delivered only while waiting in ppoll */
	if (resize_fifo) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_winch;
		sigaction(SIGWINCH, &sa, NULL);
		terminal_send_size(resize_fifo);
	}

	if (ready_fd >= 0) {
		if (write(ready_fd, "ok\n", 3) < 0) {
			/* the caller went away; carry on */
		}
		close(ready_fd);
		ready_fd = -1;
	}

	for (;;) {
		struct pollfd p[2];
		nfds_t n = 1;
		p[0].fd = r.sock;
		p[0].events = POLLIN | (r.pend_len > 0 ? POLLOUT : 0);
		p[1].fd = STDIN_FILENO;
		p[1].events = POLLIN;
		p[1].revents = 0;
		if (r.stdin_open && r.pend_len == 0)
			n = 2;
		int ready = ppoll(p, n, NULL, &waitmask);
		if (winch_pending) {
			winch_pending = 0;
			if (resize_fifo)
				terminal_send_size(resize_fifo);
		}
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			fail(EXIT_ERROR, "poll: %s", strerror(errno));
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (relay_output(&r)) {
				terminal_restore();
				return EXIT_CLOSED;
			}
		}
		if (p[0].revents & POLLOUT)
			flush_pending(&r);
		if (n == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (relay_input(&r)) {
				terminal_restore();
				return EXIT_DETACHED;
			}
		}
	}
}

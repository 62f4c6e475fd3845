/* Raw mode and window size for an attached terminal. */
#include "terminal.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t saved_valid;

void terminal_restore(void)
{
	if (saved_valid) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
		saved_valid = 0;
	}
}

static void on_fatal_signal(int sig)
{
	terminal_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void terminal_make_raw(void)
{
	struct termios raw;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return;
	saved_valid = 1;
	atexit(terminal_restore);
	signal(SIGTERM, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	signal(SIGQUIT, on_fatal_signal);
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
}

void terminal_send_size(const char *ctl_fifo)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
		return;
	int fd = open(ctl_fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	dprintf(fd, "1 %d %d\n", ws.ws_row, ws.ws_col);
	close(fd);
}

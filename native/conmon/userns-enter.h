/* Entering a rootless user's user and mount namespaces through the pause process (userns-enter.c). */
#ifndef SELKIE_USERNS_ENTER_H
#define SELKIE_USERNS_ENTER_H

/* Prints "Error: <message>" on stderr and exits 125. */
__attribute__((noreturn, format(printf, 1, 2))) void userns_die(const char *fmt, ...);

/*
 * Joins (or first creates) the caller's pause process whose pid file is RUNDIR/pause.pid, and becomes
 * root in its user namespace; the working directory is kept. The caller must be single-threaded and
 * not root. Exits 125 with one line on stderr when it cannot.
 */
void userns_enter(const char *rundir);

#endif

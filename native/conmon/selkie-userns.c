/*
 * selkie-userns: puts a rootless selkie into its user's user namespace, then execs the CLI.
 *
 *   selkie-userns RUNDIR PROGRAM [ARGS...]
 *
 * What a Node process run directly as dist/cli/selkie.cjs uses (cli/userns-reexec.ts); the usual
 * command, the launcher (selkie-launcher.c), enters the namespace itself. The namespace work is in
 * userns-enter.c. Errors: one "Error: ..." line, exit 125.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "userns-enter.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: selkie-userns RUNDIR PROGRAM [ARGS...]\n");
    return 125;
  }
  userns_enter(argv[1]);

  /* sd_listen_fds(3): sockets handed to our parent (the CLI stub) are now ours, and exec keeps our pid. */
  const char *lp = getenv("LISTEN_PID");
  if (lp && strtol(lp, NULL, 10) == (long)getppid()) {
    char me[24];
    snprintf(me, sizeof me, "%d", (int)getpid());
    setenv("LISTEN_PID", me, 1);
  }
  execvp(argv[2], argv + 2);
  userns_die("cannot run %s: %s", argv[2], strerror(errno));
}

/* The caller's terminal while attached: raw mode (restored on exit and fatal signals) and its size. */
#ifndef SELKIE_TERMINAL_H
#define SELKIE_TERMINAL_H

/* Put stdin's terminal in raw mode; it is restored at exit and on SIGTERM, SIGHUP and SIGQUIT. */
void terminal_make_raw(void);
void terminal_restore(void);

/* Write "1 ROWS COLS\n" (conmon's resize message) to its ctl fifo, if stdout or stdin is a terminal. */
void terminal_send_size(const char *ctl_fifo);

#endif

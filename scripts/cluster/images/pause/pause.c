/*
 * Minimal pod sandbox ("pause") process for the local wordpress-cdktf cluster.
 * Sleeps forever, exits 0 on SIGINT/SIGTERM and reaps zombie children (it is
 * PID 1 of the pod's PID namespace when the PID namespace is shared).
 * Build: gcc -Os -static -o pause pause.c
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void sigdown(int signo) {
  (void)signo;
  _exit(0);
}

static void sigreap(int signo) {
  (void)signo;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    printf("pause (wordpress-cdktf) 1.0\n");
    return 0;
  }
  if (getpid() != 1) {
    fprintf(stderr, "Warning: pause should be the first process\n");
  }

  struct sigaction down = {.sa_handler = sigdown};
  sigemptyset(&down.sa_mask);
  if (sigaction(SIGINT, &down, NULL) < 0) return 1;
  if (sigaction(SIGTERM, &down, NULL) < 0) return 2;

  struct sigaction reap = {.sa_handler = sigreap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  sigemptyset(&reap.sa_mask);
  if (sigaction(SIGCHLD, &reap, NULL) < 0) return 3;

  for (;;) pause();
  fprintf(stderr, "Error: infinite loop terminated\n");
  return 42;
}

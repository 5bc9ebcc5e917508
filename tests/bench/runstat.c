/* Runs a command and writes its CPU time, wall time, peak RSS and exit
 * code to a file. Python cannot measure this itself: a child forked from
 * the Python process inherits the interpreter's resident set in its
 * ru_maxrss, which hides the peak of a small program.
 *
 *   sf_bench_runstat STATS CMD [ARG...]
 *   STATS gets "cpu_seconds wall_seconds maxrss_kib exit_code" */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, code;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: sf_bench_runstat STATS CMD [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	f = fopen(argv[1], "w");
	if (!f)
		return 2;
	fprintf(f, "%.6f %.6f %ld %d\n",
	        ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	        (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss, code);
	return fclose(f) == 0 ? 0 : 2;
}

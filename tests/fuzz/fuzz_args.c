/*
 * fuzz_args: libFuzzer target for the command line. The input, split at
 * NUL bytes, is the argument vector after "patron"; main (built in as
 * patron_main by run.sh) parses the global options, finds the command,
 * answers --help, and the command parses what it can before it needs the
 * database. cli_parse_only stops it there (cli_parsed): the configuration
 * is the defaults, and nothing reads a file or a secret, asks on the
 * terminal or opens a database. Whatever the arguments, nothing may crash,
 * leak or hit UB, the exit code must be one DESIGN.md lists, and no file
 * may appear in the temp directory that HOME and PATRON_DB point into.
 *
 * The guarantee is watched, not assumed: run.sh links this target with
 * -Wl,--wrap for the calls that open, make or remove a file (open, fopen,
 * mkdir, unlink, rename, shm_open), so any such call the command line
 * makes from Patron's code while main runs stops the fuzzer, naming the
 * call and the path. (A terminal is asked through open("/dev/tty").)
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patron/cli.h"

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int patron_main(int argc, char **argv);

static char fuzz_dir[64];
static int fuzz_in_main;	/* patron_main is running */

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_args: %s\n", what);
	abort();
}

/* The tripwires (see the top): the real call, unless main is running. */
int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
int __real_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode);
int __real_unlink(const char *path);
int __wrap_unlink(const char *path);
int __real_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to);
int __real_shm_open(const char *name, int flags, mode_t mode);
int __wrap_shm_open(const char *name, int flags, mode_t mode);

static void
fuzz_touch(const char *call, const char *path)
{
	if (!fuzz_in_main)
		return;
	/* libFuzzer writes the crashing input through these calls too. */
	fuzz_in_main = 0;
	fprintf(stderr, "fuzz_args: %s(\"%s\") while parsing arguments\n",
		call, path);
	abort();
}

int
__wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	fuzz_touch("open", path);
	return __real_open(path, flags, mode);
}

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	fuzz_touch("fopen", path);
	return __real_fopen(path, mode);
}

int
__wrap_mkdir(const char *path, mode_t mode)
{
	fuzz_touch("mkdir", path);
	return __real_mkdir(path, mode);
}

int
__wrap_unlink(const char *path)
{
	fuzz_touch("unlink", path);
	return __real_unlink(path);
}

int
__wrap_rename(const char *from, const char *to)
{
	fuzz_touch("rename", from);
	return __real_rename(from, to);
}

int
__wrap_shm_open(const char *name, int flags, mode_t mode)
{
	fuzz_touch("shm_open", name);
	return __real_shm_open(name, flags, mode);
}

static void
fuzz_cleanup(void)
{
	rmdir(fuzz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char db[128];
	int fd;

	(void)argc;
	(void)argv;
	strcpy(fuzz_dir, "/tmp/patron-fuzz-args.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temp directory");
	atexit(fuzz_cleanup);
	/* Belt and braces: were the seam ever missed, the database would not
	 * exist, no secret would come from the environment, and the default
	 * paths would lie in the (watched) temp directory. */
	snprintf(db, sizeof db, "%s/none/patron.db", fuzz_dir);
	setenv("PATRON_DB", db, 1);
	setenv("HOME", fuzz_dir, 1);
	setenv("XDG_CONFIG_HOME", fuzz_dir, 1);
	setenv("XDG_DATA_HOME", fuzz_dir, 1);
	unsetenv("PATRON_CONFIG");
	unsetenv("PATRON_KEY_FILE");
	unsetenv("PATRON_PASSPHRASE");
	unsetenv("PATRON_USER");
	unsetenv("PATRON_PIN");
	unsetenv("PATRON_NEW_PIN");
	unsetenv("PATRON_NEW_PASSPHRASE");
	/* Nothing to read on standard input, no terminal for the screens;
	 * what commands print is not looked at. */
	if ((fd = open("/dev/null", O_RDWR)) < 0 || dup2(fd, 0) < 0 ||
	    dup2(fd, 1) < 0)
		fuzz_fail("cannot open /dev/null");
	close(fd);
	/* No controlling terminal either (fails harmlessly if this process
	 * leads its group, as from an interactive shell). */
	(void)setsid();
	cli_parse_only = 1;
	return 0;
}

/* The exit codes of DESIGN.md section 5. */
static int
fuzz_known_code(int rc)
{
	return rc == 0 || rc == 1 || rc == 64 || rc == 65 || rc == 66 ||
	    rc == 73 || rc == 74 || rc == 75 || rc == 77 || rc == 78;
}

static void
fuzz_nothing_made(void)
{
	DIR *d = opendir(fuzz_dir);
	struct dirent *de;

	if (d == NULL)
		fuzz_fail("the temp directory is gone");
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			fprintf(stderr, "fuzz_args: made %s/%s\n", fuzz_dir,
				de->d_name);
			closedir(d);
			fuzz_fail("a file was made");
		}
	closedir(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2], *buf;
	int argc = 0, rc;

	/* Each argument a string of its own, so ASan sees over-reads. */
	argv[argc++] = strdup("patron");
	for (size_t i = 0; i < size && argc <= FUZZ_MAX_ARGS;) {
		const uint8_t *end = memchr(data + i, 0, size - i);
		size_t n = end != NULL ? (size_t)(end - data) - i : size - i;

		buf = malloc(n + 1);
		if (buf == NULL)
			abort();
		memcpy(buf, data + i, n);
		buf[n] = '\0';
		argv[argc++] = buf;
		i += n + 1;
	}
	argv[argc] = NULL;
	optind = 0;	/* getopt starts afresh for each vector */
	fuzz_in_main = 1;
	rc = patron_main(argc, argv);
	fuzz_in_main = 0;
	fflush(stderr);
	if (!fuzz_known_code(rc)) {
		fprintf(stderr, "fuzz_args: exit code %d\n", rc);
		fuzz_fail("an exit code DESIGN.md does not list");
	}
	fuzz_nothing_made();
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}

/*
 * main: the program's entry point, above its two faces: global options,
 * then one command (cli) or, with none, the screens (ui). It lives outside
 * src/cli so that neither face includes the other. Only main exits;
 * commands return an exit code from DESIGN.md section 5.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/priv.h"
#include "patron/safe.h"
#include "patron/safe_stream.h"
#include "patron/setgid.h"
#include "patron/ui.h"
#include "patron/view_login.h"

static const struct cli_cmd *const main_cmds[] = {
	&cmd_init_entry,
	&cmd_customer_entry,
	&cmd_purchase_entry,
	&cmd_points_entry,
	&cmd_note_entry,
	&cmd_visit_entry,
	&cmd_task_entry,
	&cmd_audit_entry,
	&cmd_staff_entry,
	&cmd_import_entry,
	&cmd_export_entry,
	&cmd_key_entry,
	&cmd_backup_entry,
	&cmd_restore_entry,
	&cmd_check_entry,
	&cmd_sql_entry,
	&cmd_config_entry,
};
#define MAIN_NCMDS (sizeof main_cmds / sizeof main_cmds[0])

static void
main_usage(FILE *out)
{
	fputs("usage: patron [--db PATH] [--config PATH] [--key-file PATH] "
	      "[--user NAME] [COMMAND [ARGS]]\n"
	      "       (no command: the screens, on a terminal)\n"
	      "       patron --help | --version\n\ncommands:\n",
		out);
	for (size_t i = 0; i < MAIN_NCMDS; i++)
		fprintf(out, "  %-10s %s\n", main_cmds[i]->name,
			main_cmds[i]->summary);
	fputs("\n'patron COMMAND --help' describes one command; patron(1) "
	      "describes all.\n",
		out);
}

/*
 * Data never drives the terminal: *fp becomes a stream onto fd that makes
 * whatever passes safe (safe_stream_open), keeping lines and tabs.
 */
static struct {
	FILE **fp;
	FILE *orig, *safe;
} main_safes[2];
static int main_nsafes;

/* At exit: the safe streams are flushed, closed (freed) and put back. */
static void
main_safe_close(void)
{
	while (main_nsafes > 0) {
		int i = --main_nsafes;

		fflush(main_safes[i].safe);
		*main_safes[i].fp = main_safes[i].orig;
		fclose(main_safes[i].safe);
	}
}

static void
main_safe(FILE **fp, int fd, int mode)
{
	FILE *f;

	fflush(*fp);
	if (main_nsafes == 2 ||
	    (f = safe_stream_open(fd, SAFE_TEXT)) == NULL)
		return;
	setvbuf(f, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	if (main_nsafes == 0)
		atexit(main_safe_close);
	main_safes[main_nsafes].fp = fp;
	main_safes[main_nsafes].orig = *fp;
	main_safes[main_nsafes++].safe = f;
	*fp = f;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rlimit nocore = { 0, 0 };
	struct cli c;
	int ch, rc;

	/* Keys must never reach a core dump; files we create are ours alone. */
	setrlimit(RLIMIT_CORE, &nocore);
	umask(077);
	memset(&c, 0, sizeof c);
	/* Set-group-ID: see priv.h; it may set a wider umask. */
	if (priv_init(&c.err) < 0)
		return cli_fail(&c);
	setlocale(LC_ALL, "");
	/* stderr is for people, wherever it goes. */
	main_safe(&stderr, STDERR_FILENO, _IONBF);
	if (sodium_init() < 0) {
		fputs("patron: libsodium failed to initialise\n", stderr);
		return PX_FAIL;
	}
	/* Every store opened from here on keeps the audit trail. */
	audit_install();
	while ((ch = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c.db_opt = optarg;
			break;
		case 'c':
			c.config_opt = optarg;
			break;
		case 'k':
			c.key_file = optarg;
			break;
		case 'u':
			c.user = optarg;
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("patron %s\n", PATRON_VERSION);
			return 0;
		default:
			main_usage(stderr);
			return PX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		struct store *s;

		/* No command: the screens, on a terminal. */
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			main_usage(stderr);
			return PX_USAGE;
		}
		if (setgid_config_load(&c) < 0)
			return cli_fail(&c);
		util_time_zone(c.cfg.store_timezone);
		if (cli_open(&c, 0, &s) < 0)
			return cli_fail(&c);
		rc = ui_run(s, &c.cfg, view_login_new, &c.err);
		store_close(s);
		cred_free(c.cred);
		free(c.db_path);
		return rc < 0 ? cli_fail(&c) : rc;
	}
	/* Command output is kept byte for byte for scripts (CSV, vCard,
	 * sql), but on a terminal it is made safe too. Not for the screens:
	 * ncurses writes its own escape sequences to stdout. */
	if (isatty(STDOUT_FILENO))
		main_safe(&stdout, STDOUT_FILENO, _IOLBF);
	for (size_t i = 0; i < MAIN_NCMDS; i++) {
		const struct cli_cmd *cmd = main_cmds[i];

		if (strcmp(argv[0], cmd->name) != 0)
			continue;
		if (cli_wants_help(argc, argv)) {
			cli_print_help(cmd, stdout);
			return 0;
		}
		if (setgid_config_load(&c) < 0)
			return cli_fail(&c);
		util_time_zone(c.cfg.store_timezone);
		optind = 0;
		rc = cmd->run(&c, argc, argv);
		cred_free(c.cred);
		free(c.db_path);
		fflush(stdout);
		if (ferror(stdout)) {
			fputs("patron: cannot write standard output\n", stderr);
			return rc ? rc : PX_IOERR;
		}
		return rc;
	}
	fprintf(stderr, "patron: unknown command '%s'\n", argv[0]);
	main_usage(stderr);
	return PX_USAGE;
}

/*
 * cli: helpers shared by the subcommands. Secrets are read into sodium
 * memory, from the environment for automation or from the terminal with
 * echo off, and never from argv.
 */
#include "patron/cli.h"
#include "patron/input.h"
#include "patron/json_quote.h"
#include "patron/perm.h"
#include "patron/safe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#define SECRET_MAX 1024

int cli_parse_only;

int
cli_parsed(struct cli *c)
{
	if (cli_parse_only)
		return perr_set(&c->err, PX_FAIL, "parse only: stopped before "
		    "any file, secret or database");
	return 0;
}

int
cli_fail(struct cli *c)
{
	perr_print(&c->err);
	return c->err.code ? c->err.code : PX_FAIL;
}

int
cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The message may echo arguments: one line, made safe. */
	fputs("patron: ", stderr);
	safe_write(stderr, msg, strlen(msg), 0);
	fprintf(stderr, "\nusage: patron %s\n", cmd->usage);
	return PX_USAGE;
}

int
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

void
cli_print_help(const struct cli_cmd *cmd, FILE *out)
{
	fprintf(out, "usage: patron %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->details != NULL)
		fprintf(out, "\n%s\n", cmd->details);
	fputs("\nSee patron(1) for details.\n", out);
}

static int
cli_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

const char *
cli_db_path(struct cli *c)
{
	const char *p = c->db_opt, *xdg, *home;

	if (c->db_path != NULL)
		return c->db_path;
	if (p == NULL || *p == '\0')
		p = getenv("PATRON_DB");
	if (p != NULL && *p != '\0') {
		c->db_path = xstrdup(p);
		return c->db_path;
	}
	xdg = getenv("XDG_DATA_HOME");
	home = getenv("HOME");
	if (xdg != NULL && xdg[0] == '/')
		c->db_path = xasprintf("%s/patron/patron.db", xdg);
	else
		c->db_path = xasprintf("%s/.local/share/patron/patron.db",
			home ? home : ".");
	cli_mkdirs(c->db_path);
	return c->db_path;
}

/* Read one line from the terminal with echo off, into sodium memory. */
static char *
cli_read_tty(const char *prompt, int echo)
{
	struct termios old, quiet;
	char *buf, *shown;
	size_t n = 0;
	int fd, echo_off, ch = 0;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	buf = sodium_malloc(SECRET_MAX);
	if (buf == NULL) {
		close(fd);
		return NULL;
	}
	echo_off = !echo && tcgetattr(fd, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	/* Prompts name a file or a user as given: shown safe, too. */
	shown = safe_dup(prompt, strlen(prompt), 0);
	if (write(fd, shown, strlen(shown)) < 0)
		n = 0;
	free(shown);
	for (;;) {
		char b;
		ssize_t r = read(fd, &b, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ch = -1;
			break;
		}
		if (b == '\n' || b == '\r')
			break;
		if (n + 1 < SECRET_MAX)
			buf[n++] = b;
	}
	buf[n] = '\0';
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n = n + 0;
	close(fd);
	if (ch < 0 && n == 0) {
		sodium_free(buf);
		return NULL;
	}
	return buf;
}

struct cred *
cli_secret(struct cli *c, const char *env, const char *prompt, int confirm)
{
	const char *v = env ? getenv(env) : NULL;
	struct cred *cred;
	char *a, *b, *again;

	if (v != NULL)
		return cred_new(CRED_PASSPHRASE, v, strlen(v));
	a = cli_read_tty(prompt, 0);
	if (a == NULL) {
		perr_set(&c->err, PX_NOPERM,
			"no terminal to ask for a secret: set %s", env);
		return NULL;
	}
	if (confirm) {
		again = xasprintf("Again: ");
		b = cli_read_tty(again, 0);
		free(again);
		if (b == NULL || strcmp(a, b) != 0) {
			sodium_free(a);
			if (b)
				sodium_free(b);
			perr_set(&c->err, PX_DATAERR, "the two entries differ");
			return NULL;
		}
		sodium_free(b);
	}
	cred = cred_new(CRED_PASSPHRASE, a, strlen(a));
	sodium_free(a);
	return cred;
}

struct cred *
cli_new_passphrase(struct cli *c, const char *env, const char *prompt)
{
	struct cred *cred = cli_secret(c, env, prompt, 1);

	if (cred != NULL && cred->len < CLI_PASSPHRASE_MIN) {
		cred_free(cred);
		perr_set(&c->err, PX_DATAERR,
			"a passphrase needs at least %d characters",
			CLI_PASSPHRASE_MIN);
		return NULL;
	}
	return cred;
}

void
cli_report(const char *msg, void *arg)
{
	fputs("patron: ", stderr);
	safe_write(stderr, arg, strlen(arg), 0);
	fputs(": ", stderr);
	safe_write(stderr, msg, strlen(msg), 0);
	fputc('\n', stderr);
}

const struct cred *
cli_credential(struct cli *c)
{
	const char *kf = c->key_file;
	char *prompt;

	if (c->cred != NULL)
		return c->cred;
	if (cli_parsed(c) < 0)
		return NULL;
	if (kf == NULL || *kf == '\0')
		kf = getenv("PATRON_KEY_FILE");
	if (kf != NULL && *kf != '\0') {
		c->cred = cred_from_keyfile(kf, &c->err);
		return c->cred;
	}
	prompt = xasprintf("Passphrase (or recovery code) for %s: ",
		cli_db_path(c));
	c->cred = cli_secret(c, "PATRON_PASSPHRASE", prompt, 0);
	free(prompt);
	return c->cred;
}

int
cli_open_path(struct cli *c, const char *path, int flags, struct store **out)
{
	const struct cred *cred = cli_credential(c);

	*out = NULL;
	if (cred == NULL)
		return -1;
	return store_open(path, cred, flags, out, &c->err);
}

int
cli_open(struct cli *c, int flags, struct store **out)
{
	return cli_open_path(c, cli_db_path(c), flags, out);
}

static char *
cli_read_line(const char *prompt)
{
	char *s = cli_read_tty(prompt, 1);
	char *copy;

	if (s == NULL)
		return NULL;
	copy = xstrdup(s);
	sodium_free(s);
	return copy;
}

/*
 * An account locked until an admin unlocks it may be the only admin's:
 * the message says where the way back is (patron(1), Staff login).
 */
static void
cli_login_way_back(struct cli *c, struct store *s, const char *user)
{
	struct staff_row r;
	size_t len = strlen(c->err.msg);

	/* Only on the lock's own message: a wrong PIN, even the one that
	 * locks, says no more than an unknown name does. */
	if (c->err.code != PX_NOPERM || strstr(c->err.msg, "locked") == NULL ||
	    staff_get(s, user, &r, NULL) < 0 ||
	    strcmp(r.locked_until, "admin") != 0)
		return;
	snprintf(c->err.msg + len, sizeof c->err.msg - len, " (or whoever "
	    "holds the database's passphrase or key file: patron staff "
	    "unlock NAME --key-holder)");
}

int
cli_login(struct cli *c, struct store *s, int perm, struct staff *who)
{
	const char *user = c->user;
	char *asked = NULL;
	struct cred *pin;
	int rc;

	if (user == NULL || *user == '\0')
		user = getenv("PATRON_USER");
	if (user == NULL || *user == '\0') {
		user = asked = cli_read_line("Staff name: ");
		if (user == NULL)
			return perr_set(&c->err, PX_NOPERM,
				"staff login needed: set PATRON_USER and "
				"PATRON_PIN, or use --user");
	}
	pin = cli_secret(c, "PATRON_PIN", "PIN: ", 0);
	if (pin == NULL) {
		free(asked);
		return -1;
	}
	rc = staff_login(s, user, (const char *)pin->secret,
	    c->cfg.pin_attempts, c->cfg.lockout_minutes, who, &c->err);
	cred_free(pin);
	if (rc < 0)
		cli_login_way_back(c, s, user);
	free(asked);
	if (rc < 0)
		return -1;
	return perm < 0 ? 0 : cli_may(c, who, perm);
}

int
cli_may(struct cli *c, const struct staff *who, int perm)
{
	return perm_check(&c->cfg, who, perm, &c->err);
}

int
cli_confirm(const char *word, const char *alt)
{
	/* One line, read with bounded memory: longer than any name is no. */
	char line[4096];
	size_t len;

	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	len = strlen(line);
	if (len == 0 || (line[len - 1] != '\n' && !feof(stdin)))
		return 0;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	return strcmp(line, word) == 0 || (alt != NULL && strcmp(line, alt) == 0);
}

int
cli_dispatch(struct cli *c, const struct cli_cmd *cmd,
	const struct cli_verb *verbs, size_t n, int argc, char **argv,
	void *arg)
{
	const struct cli_verb *v = NULL;
	struct store *s;
	struct staff who;
	int rc;

	for (size_t i = 0; argc >= 2 && i < n && v == NULL; i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			v = &verbs[i];
	if (v == NULL && cmd->verb_usage != NULL)
		return cli_usage(cmd, "%s", cmd->verb_usage);
	if (argc < 2)
		return cli_usage(cmd, "%s needs a verb", cmd->name);
	if (v == NULL)
		return cli_usage(cmd, "unknown verb '%s'", argv[1]);
	if (v->perm == CLI_SELF)
		return v->run(c, NULL, NULL, argc - 1, argv + 1, arg);
	if (cli_open(c, v->flags, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, v->perm, &who) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	rc = v->run(c, s, &who, argc - 1, argv + 1, arg);
	store_close(s);
	return rc;
}

int
cli_amount(struct cli *c, const char *text, int64_t *out)
{
	int dec = util_currency_decimals(c->cfg.store_currency);
	const char *why = input_amount(text, c->cfg.store_currency, out);

	if (why != NULL)
		return perr_set(&c->err, PX_DATAERR, "'%s' %s: amounts are in "
		    "%s, like 12.50 (at most %d decimals)", text, why,
		    c->cfg.store_currency, dec);
	return 0;
}

int
cli_time(struct cli *c, const char *text, int64_t *ms)
{
	char *plain = input_fold(text);	/* full-width digits, spaces */
	int rc = util_time_parse(plain, ms);

	free(plain);
	if (rc < 0)
		return perr_set(&c->err, PX_DATAERR, "'%s' is not a time like "
		    "2026-12-01, 2026-12-01 15:30 or 2026-12-01T15:30:00Z", text);
	return 0;
}

void
cli_print_safe(FILE *out, const char *s, int width)
{
	/* Never let data drive the terminal, nor break a line. */
	safe_write(out, s, strlen(s), 0);
	for (int w = safe_width(s); w < width; w++)
		fputc(' ', out);
}

void
cli_json_string(FILE *out, const char *s)
{
	json_quote(out, s);
}

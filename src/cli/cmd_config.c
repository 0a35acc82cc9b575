/*
 * cmd_config: `patron config check|show`. The config is loaded (and so
 * checked) before any command runs; these two report on it.
 */
#include <stdio.h>

#include "patron/actions.h"
#include "patron/cli.h"
#include "patron/theme.h"

static int
cfg_check(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct keys_key map[ACT_NACTIONS][KEYS_MAX];
	struct theme t;

	if (cli_parsed(c) < 0)
		return cli_fail(c);
	/* The theme it names is part of the configuration. */
	if (theme_load(c->cfg.ui_theme, &t, &c->err) < 0 ||
	    actions_keymap(c->cfg.ui_keys, map, &c->err) < 0)
		return cli_fail(c);
	if (c->cfg.source[0] == '\0')
		puts("no config file: the defaults apply");
	else {
		cli_print_safe(stdout, c->cfg.source, 0);
		puts(": ok");
	}
	return 0;
}

static int
cfg_show(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct theme t;
	struct perr te;

	config_print(&c->cfg, stdout);
	/* The theme is a file: the fuzzer's parse-only run stops here. */
	if (cli_parsed(c) < 0)
		return cli_fail(c);
	/* As config check finds it, and what the screens then do. */
	if (theme_load(c->cfg.ui_theme, &t, &te) < 0) {
		fputs("# ui.theme: ", stdout);
		if (te.file[0] != '\0') {
			cli_print_safe(stdout, te.file, 0);
			if (te.line > 0)
				printf(":%d:%d", te.line, te.col);
			fputs(": ", stdout);
		}
		cli_print_safe(stdout, te.msg, 0);
		puts("; the screens use the default theme");
	}
	return 0;
}

/* Neither needs the database or a login: CLI_SELF verbs that never open
 * it. */
static const struct cli_verb cfg_verbs[] = {
	{ "check", cfg_check, CLI_SELF, 0 },
	{ "show", cfg_show, CLI_SELF, 0 },
};

static int
cmd_config(struct cli *c, int argc, char **argv)
{
	/* A verb and nothing after it. */
	if (argc != 2)
		return cli_usage(&cmd_config_entry, "config needs check or show");
	return cli_dispatch(c, &cmd_config_entry, cfg_verbs,
	    sizeof cfg_verbs / sizeof cfg_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_config_entry = {
	.name = "config",
	.summary = "Check the configuration file (exit 78 with file:line:column "
		   "on errors) or print the effective configuration, defaults "
		   "included, as YAML.",
	.usage = "config check | config show",
	.run = cmd_config,
};

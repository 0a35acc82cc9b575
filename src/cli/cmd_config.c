/*
 * cmd_config: `patron config check|show`. The config is loaded (and so
 * checked) before any command runs; these two report on it.
 */
#include <stdio.h>
#include <string.h>

#include "patron/actions.h"
#include "patron/cli.h"
#include "patron/theme.h"

static int
cmd_config(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(&cmd_config_entry, "config needs check or show");
	if (strcmp(argv[1], "check") == 0) {
		struct keys_key map[ACT_NACTIONS][KEYS_MAX];
		struct theme t;

		if (cli_parsed(c) < 0)
			return cli_fail(c);
		/* The theme it names is part of the configuration. */
		if (theme_load(c->cfg.ui_theme, &t, &c->err) < 0 ||
		    actions_keymap(&c->cfg, map, &c->err) < 0)
			return cli_fail(c);
		if (c->cfg.source[0] == '\0')
			puts("no config file: the defaults apply");
		else {
			cli_print_safe(stdout, c->cfg.source, 0);
			puts(": ok");
		}
		return 0;
	}
	if (strcmp(argv[1], "show") == 0) {
		struct theme t;
		struct perr te;

		config_print(&c->cfg, stdout);
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
	return cli_usage(&cmd_config_entry, "unknown verb '%s'", argv[1]);
}

const struct cli_cmd cmd_config_entry = {
	.name = "config",
	.summary = "Check the configuration file (exit 78 with file:line:column "
		   "on errors) or print the effective configuration, defaults "
		   "included, as YAML.",
	.usage = "config check | config show",
	.run = cmd_config,
};

/*
 * actions: the action table made from the list in actions.h, and the key
 * map that ui.keys makes of it.
 */
#include "patron/actions.h"

#include <string.h>

#define ACTIONS_ROW(id, name, label, help, ...) \
	[ACT_##id] = { #name, { __VA_ARGS__ }, label, help },
const struct action_def actions[ACT_NACTIONS] = {
	[ACT_NONE] = { "none", { { 0, 0 } }, "", "" },
	ACTIONS(ACTIONS_ROW)
};
#undef ACTIONS_ROW

int
actions_keymap(const char spec[ACT_NACTIONS][ACTIONS_SPEC_MAX],
	struct keys_key map[ACT_NACTIONS][KEYS_MAX], struct perr *e)
{
	for (int a = 0; a < ACT_NACTIONS; a++) {
		const char *why;

		memcpy(map[a], actions[a].keys, sizeof map[a]);
		if (a == ACT_NONE || spec[a][0] == '\0')
			continue;
		memset(map[a], 0, sizeof map[a]);
		/* config_load has checked it: this is for a struct filled
		 * some other way. */
		if (keys_parse(spec[a], map[a], KEYS_MAX, &why) < 0)
			return perr_set(e, PX_CONFIG, "ui.keys.%s: %s",
			    actions[a].name, why);
	}
	for (int a = 1; a < ACT_NACTIONS; a++)
		for (int i = 0; i < KEYS_MAX && !keys_end(&map[a][i]); i++)
			for (int b = a + 1; b < ACT_NACTIONS; b++)
				for (int j = 0; j < KEYS_MAX &&
				     !keys_end(&map[b][j]); j++)
					if (keys_same(&map[a][i], &map[b][j]))
						return perr_set(e, PX_CONFIG,
						    "ui.keys: one key does both "
						    "'%s' and '%s'",
						    actions[a].name,
						    actions[b].name);
	return 0;
}

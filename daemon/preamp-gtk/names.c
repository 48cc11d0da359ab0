// SPDX-License-Identifier: MIT
/* The user's names for interfaces, in a key file. */
#include <string.h>

#include <gio/gio.h>

#include "model.h"
#include "names.h"

#define GROUP "names"
#define MAX_NAME_CHARS 48

struct pg_names {
	GKeyFile *kf;
	char *path;
	GHashTable *cache;	/* key -> cleaned name */
};

pg_names *pg_names_load(void)
{
	pg_names *n = g_new0(pg_names, 1);

	n->kf = g_key_file_new();
	n->path = g_build_filename(g_get_user_config_dir(), "preamp", "device-names.ini", NULL);
	n->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* a missing file is the usual case; a broken one starts afresh */
	g_key_file_load_from_file(n->kf, n->path, G_KEY_FILE_KEEP_COMMENTS, NULL);
	return n;
}

void pg_names_free(pg_names *n)
{
	if (!n)
		return;
	g_key_file_unref(n->kf);
	g_hash_table_unref(n->cache);
	g_free(n->path);
	g_free(n);
}

const char *pg_names_get(pg_names *n, const char *key)
{
	char clean[256];
	char *raw;

	if (!key || !*key)
		return NULL;
	if (g_hash_table_contains(n->cache, key))
		return g_hash_table_lookup(n->cache, key);
	raw = g_key_file_get_string(n->kf, GROUP, key, NULL);
	if (raw)
		pg_clean_text(clean, sizeof(clean), raw, MAX_NAME_CHARS);
	g_hash_table_insert(n->cache, g_strdup(key), raw && *clean ? g_strdup(clean) : NULL);
	g_free(raw);
	return g_hash_table_lookup(n->cache, key);
}

gboolean pg_names_set(pg_names *n, const char *key, const char *name, GError **error)
{
	char clean[256] = "";
	g_autofree char *dir = g_path_get_dirname(n->path);

	if (!key || !*key || strpbrk(key, "[]=\n")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "this interface has no usable key");
		return FALSE;
	}
	pg_clean_text(clean, sizeof(clean), name, MAX_NAME_CHARS);
	g_strstrip(clean);
	if (*clean)
		g_key_file_set_string(n->kf, GROUP, key, clean);
	else
		g_key_file_remove_key(n->kf, GROUP, key, NULL);
	g_hash_table_remove(n->cache, key);
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", dir);
		return FALSE;
	}
	return g_key_file_save_to_file(n->kf, n->path, error);
}

const char *pg_names_path(pg_names *n)
{
	return n->path;
}

/*
 * crashstates: rebuild the files of a directory as a power cut could have
 * left them, from the log tests/preload/powerlog.so kept of a writer, and
 * run a verification command on each such state.
 *
 *   crashstates snap DIR SNAP      copy DIR's regular files to SNAP, with
 *                                  their inodes: the state before the log
 *   crashstates mark LOG TEXT      append a marker (a line of TEXT) to LOG
 *   crashstates dump LOG SNAP      list the records, one a line
 *   crashstates run [-n STATES] [-s SEED] [-k KIND] [-f NAME] [-d]
 *          [-e SAVEDIR] [-1 STATE] LOG SNAP WORK CMD [ARG...]
 *
 * The crash model. A crash point P is a moment between two records of the
 * log. Each file keeps every change up to its last fsync or fdatasync
 * before P (a sync(2) counts for all files), then any subset of its later
 * writes and truncations, applied in order, of which the last write may be
 * torn: a write is persisted as a prefix of whole 512-byte sectors, so one
 * inside a sector is all or nothing. Creates, renames and unlinks are
 * durable once the directory is synced; those after its last sync before P
 * survive as a prefix in order, perhaps empty. -d drops every sync: the
 * negative control, where nothing after the snapshot is promised.
 *
 * States are drawn at random, each from its own seed (SEED and the state's
 * number), so a state can be built again alone with -1. -f NAME draws only
 * crash points right after a change or sync of the file called NAME. -e
 * SAVEDIR keeps two states of each set of findings, as built (see save).
 *
 * For each state the files are written to WORK (emptied first), the markers
 * (lines written to POWERLOG_MARK_FD: the commits the writer reported) logged
 * before the last completed sync to CRASH_EXPECTED, and CMD is run with
 * CRASH_DIR, CRASH_EXPECTED and CRASH_STATE set. Its exit status is a set of
 * findings: 0 none, 1 would not open, 2 the first check failed, 4 reported
 * commits missing, 8 still damaged after a second check; anything above 15
 * is a harness error. One line of figures is printed; the exit status is 1
 * if any state had a finding, 2 on a harness error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../preload/powerlog.h"

#define SECTOR 512

enum { META_NONE, META_LINK, META_RENAME, META_UNLINK };

struct rec {
	struct plrec h; /* copied: records in the log are unaligned */
	char name[256], name2[256];
	const unsigned char *data;
	int fid;       /* the file a data op or sync applies to, or -1 */
	int meta;      /* META_*: a change of the directory */
	int trunc0;    /* an open with O_TRUNC: also a truncation to 0 */
	int on_target; /* touches the file named by -f */
};

struct file {
	uint64_t ino;
	const unsigned char *init; /* from the snapshot, or NULL */
	size_t init_len;
	/* The durable image, as of record `upto` (exclusive). */
	unsigned char *buf;
	size_t len, cap;
	long upto;
	int loaded; /* the snapshot's bytes are in buf */
	int names;  /* live names while reading the log */
};

struct name {
	char name[256];
	int fid;
};

static struct rec *recs;
static long nrec;
static struct file *files;
static int nfile;
static struct name snapnames[256];
static int nsnap;

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "crashstates: ");
	fprintf(stderr, fmt, arg, strerror(errno));
	fputc('\n', stderr);
	exit(2);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die("%s: %s", "out of memory");
	return p;
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rng;

static uint64_t
rnd(uint64_t n)
{
	rng = mix(rng);
	return n ? rng % n : 0;
}

static const unsigned char *
map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", path);
	*len = (size_t)st.st_size;
	if (*len == 0) {
		close(fd);
		return (const unsigned char *)"";
	}
	p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		die("%s: %s", path);
	return p;
}

static int
new_file(uint64_t ino)
{
	files = xrealloc(files, (size_t)(nfile + 1) * sizeof *files);
	memset(&files[nfile], 0, sizeof *files);
	files[nfile].ino = ino;
	return nfile++;
}

/* The snapshot: SNAP/manifest lists "ino name", SNAP/files/NAME the bytes. */
static void
load_snap(const char *snap)
{
	char path[PATH_MAX], name[256];
	unsigned long long ino;
	FILE *m;

	snprintf(path, sizeof path, "%s/manifest", snap);
	if ((m = fopen(path, "r")) == NULL)
		die("%s: %s", path);
	while (fscanf(m, "%llu %255s", &ino, name) == 2 && nsnap < 256) {
		int f = new_file(ino);

		snprintf(path, sizeof path, "%s/files/%s", snap, name);
		files[f].init = map_file(path, &files[f].init_len);
		files[f].names = 1;
		snprintf(snapnames[nsnap].name, sizeof snapnames[nsnap].name,
			"%s", name);
		snapnames[nsnap++].fid = f;
	}
	fclose(m);
}

static int
lookup(struct name *t, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (t[i].fid >= 0 && strcmp(t[i].name, name) == 0)
			return i;
	return -1;
}

/* Set name -> fid in t (fid -1 removes it); returns the fid it replaced. */
static int
set_name(struct name *t, int *n, const char *name, int fid)
{
	int i = lookup(t, *n, name), old = i >= 0 ? t[i].fid : -1;

	if (i < 0 && fid >= 0) {
		for (i = 0; i < *n && t[i].fid >= 0; i++)
			;
		if (i == *n) {
			if (*n == 256)
				die("%s: %s", "too many names");
			(*n)++;
		}
		snprintf(t[i].name, sizeof t[i].name, "%s", name);
	}
	if (i >= 0)
		t[i].fid = fid;
	return old;
}

/* Read the log, tell files apart by inode and generation, name the ops. */
static void
load_log(const char *path, const char *target)
{
	size_t len, at = 0;
	const unsigned char *p = map_file(path, &len);
	struct name names[256];
	int nnames = nsnap;
	long cap = 0;

	memcpy(names, snapnames, sizeof names);
	while (at + sizeof(struct plrec) <= len) {
		struct plrec hd, *h = &hd;
		size_t need;
		struct rec *r;
		int old;

		memcpy(&hd, p + at, sizeof hd);
		need = sizeof *h + h->plen + h->p2len;
		if (h->magic != PL_MAGIC || h->plen > 255 || h->p2len > 255)
			break;
		if (h->op == PL_WRITE || h->op == PL_MARK)
			need += (size_t)h->len;
		if (at + need > len)
			break; /* a torn last record */
		if (nrec == cap) {
			cap = cap ? cap * 2 : 4096;
			recs = xrealloc(recs, (size_t)cap * sizeof *recs);
		}
		r = &recs[nrec++];
		memset(r, 0, sizeof *r);
		r->h = hd;
		r->fid = -1;
		memcpy(r->name, p + at + sizeof *h, h->plen);
		memcpy(r->name2, p + at + sizeof *h + h->plen, h->p2len);
		r->data = p + at + sizeof *h + h->plen + h->p2len;
		at += need;
		if (h->op == PL_OPEN) {
			int i = lookup(names, nnames, r->name), fid = -1;

			for (int f = nfile - 1; f >= 0 && fid < 0; f--)
				if (files[f].ino == h->ino)
					fid = f;
			if (i < 0 || names[i].fid != fid || fid < 0) {
				/* A new name: a new file, or a link. */
				if (fid < 0 || files[fid].names == 0)
					fid = new_file(h->ino);
				r->meta = META_LINK;
				old = set_name(names, &nnames, r->name, fid);
				if (old >= 0)
					files[old].names--;
				files[fid].names++;
			}
			r->fid = fid;
			r->trunc0 = h->off != 0;
		} else if (h->op == PL_RENAME) {
			int i = lookup(names, nnames, r->name);

			r->meta = META_RENAME;
			if (i < 0)
				continue; /* not a file we know */
			r->fid = names[i].fid;
			set_name(names, &nnames, r->name, -1);
			old = set_name(names, &nnames, r->name2, r->fid);
			if (old >= 0 && old != r->fid)
				files[old].names--;
		} else if (h->op == PL_UNLINK) {
			r->meta = META_UNLINK;
			old = set_name(names, &nnames, r->name, -1);
			if (old >= 0)
				files[old].names--;
		} else if (h->op == PL_WRITE || h->op == PL_TRUNC ||
			   h->op == PL_EXTEND || h->op == PL_FSYNC) {
			for (int f = nfile - 1; f >= 0 && r->fid < 0; f--)
				if (files[f].ino == h->ino)
					r->fid = f;
		}
		if (target != NULL && r->fid >= 0 && r->meta == META_NONE) {
			int i = lookup(names, nnames, target);

			r->on_target = i >= 0 && names[i].fid == r->fid;
		}
	}
}

static int
is_data(const struct rec *r)
{
	return r->fid >= 0 && (r->h.op == PL_WRITE || r->h.op == PL_TRUNC ||
				      r->h.op == PL_EXTEND || r->trunc0);
}

static void
img_size(unsigned char **buf, size_t *len, size_t *cap, size_t n)
{
	if (n > *cap) {
		*cap = n + n / 2 + 4096;
		*buf = xrealloc(*buf, *cap);
	}
	if (n > *len)
		memset(*buf + *len, 0, n - *len);
	*len = n;
}

/* Apply a data op; keep is how many bytes of a write survive. */
static void
apply(unsigned char **buf, size_t *len, size_t *cap, const struct rec *r,
	int64_t keep)
{
	const struct plrec *h = &r->h;

	if (r->trunc0)
		*len = 0;
	if (h->op == PL_WRITE) {
		size_t end = (size_t)(h->off + keep);

		if (end > *len)
			img_size(buf, len, cap, end);
		if (keep > 0)
			memcpy(*buf + h->off, r->data, (size_t)keep);
	} else if (h->op == PL_TRUNC) {
		if ((size_t)h->off > *len)
			img_size(buf, len, cap, (size_t)h->off);
		else
			*len = (size_t)h->off;
	} else if (h->op == PL_EXTEND && (size_t)(h->off + h->len) > *len) {
		img_size(buf, len, cap, (size_t)(h->off + h->len));
	}
}

/* Bring file f's durable image up to record `upto` (exclusive). */
static void
advance(int f, long upto)
{
	struct file *F = &files[f];

	if (!F->loaded) {
		img_size(&F->buf, &F->len, &F->cap, F->init_len);
		if (F->init_len > 0)
			memcpy(F->buf, F->init, F->init_len);
		F->loaded = 1;
	}
	for (long i = F->upto; i < upto; i++)
		if (recs[i].fid == f && is_data(&recs[i]))
			apply(&F->buf, &F->len, &F->cap, &recs[i],
				recs[i].h.len);
	if (upto > F->upto)
		F->upto = upto;
}

struct state {
	long id, point;
};

static int
by_point(const void *a, const void *b)
{
	const struct state *x = a, *y = b;

	return x->point < y->point   ? -1
	       : x->point > y->point ? 1
				     : (x->id > y->id) - (x->id < y->id);
}

static void
empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (d == NULL)
		die("%s: %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) < 0)
			die("%s: %s", path);
	}
	closedir(d);
}

static void
put_file(const char *path, const unsigned char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		die("%s: %s", path);
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			die("%s: %s", path);
		p += w;
		n -= (size_t)w;
	}
	close(fd);
}

/* Write the state at crash point P into work; rng is already seeded. */
static void
build(long P, int nosync, const char *work, const char *expected, FILE *desc)
{
	struct name names[256];
	int nnames = nsnap;
	long dsync = 0, lastsync = 0, nmeta = 0, keepmeta;
	static unsigned char *buf;
	static size_t cap;
	char path[PATH_MAX];
	FILE *ex;

	for (long i = 0; i < P; i++) {
		uint32_t op = recs[i].h.op;

		if (op == PL_FSYNC || op == PL_DIRSYNC || op == PL_SYNCALL)
			lastsync = i + 1;
		if (!nosync && (op == PL_DIRSYNC || op == PL_SYNCALL))
			dsync = i + 1;
	}
	/* The commits reported before the last completed sync. */
	if ((ex = fopen(expected, "w")) == NULL)
		die("%s: %s", expected);
	for (long i = 0; i < lastsync; i++)
		if (recs[i].h.op == PL_MARK)
			fwrite(recs[i].data, 1, (size_t)recs[i].h.len, ex);
	fclose(ex);

	/* The directory: durable changes, then a prefix of the later ones. */
	for (long i = dsync; i < P; i++)
		nmeta += recs[i].meta != META_NONE;
	keepmeta = (long)rnd((uint64_t)nmeta + 1);
	fprintf(desc,
		"crash after record %ld of %ld; directory synced at %ld, "
		"%ld of %ld later directory changes kept\n",
		P, nrec, dsync, keepmeta, nmeta);
	memcpy(names, snapnames, sizeof names);
	for (long i = 0, m = 0; i < P; i++) {
		const struct rec *r = &recs[i];

		if (r->meta == META_NONE)
			continue;
		if (i >= dsync && m++ >= keepmeta)
			break;
		if (r->meta == META_LINK)
			set_name(names, &nnames, r->name, r->fid);
		else if (r->meta == META_RENAME && r->fid >= 0) {
			int j = lookup(names, nnames, r->name);

			if (j >= 0) {
				int fid = names[j].fid;

				set_name(names, &nnames, r->name, -1);
				set_name(names, &nnames, r->name2, fid);
			}
		} else if (r->meta == META_UNLINK)
			set_name(names, &nnames, r->name, -1);
	}

	empty_dir(work);
	for (int n = 0; n < nnames; n++) {
		int f = names[n].fid;
		long fsync_at = 0, npend = 0, kept = 0, last = -1;
		size_t len;
		int prefix = (int)rnd(2);
		uint64_t q = rnd(101), cut;
		int64_t tear;

		if (f < 0)
			continue;
		for (long i = 0; i < P && !nosync; i++)
			if ((recs[i].fid == f && recs[i].h.op == PL_FSYNC) ||
				recs[i].h.op == PL_SYNCALL)
				fsync_at = i + 1;
		advance(f, fsync_at);
		len = files[f].len;
		if (len > cap) {
			cap = len + 65536;
			buf = xrealloc(buf, cap);
		}
		if (len > 0)
			memcpy(buf, files[f].buf, len);
		for (long i = fsync_at; i < P; i++)
			npend += recs[i].fid == f && is_data(&recs[i]);
		/* Which later changes reach the disk: a prefix or any subset.
		 */
		cut = rnd((uint64_t)npend + 1);
		long *keep = xrealloc(NULL, (size_t)(npend + 1) * sizeof *keep);
		for (long i = fsync_at, k = 0; i < P; i++) {
			if (recs[i].fid != f || !is_data(&recs[i]))
				continue;
			if (prefix ? (uint64_t)k < cut : rnd(100) < q)
				keep[kept++] = i;
			k++;
		}
		tear = -1;
		if (kept > 0) {
			const struct plrec *h = &recs[keep[kept - 1]].h;
			int64_t first = h->off / SECTOR + 1;
			int64_t lastb = (h->off + h->len - 1) / SECTOR;

			last = keep[kept - 1];
			/* Torn at a sector boundary inside the write, if any.
			 */
			if (h->op == PL_WRITE && lastb >= first && rnd(2))
				tear = (first + (int64_t)rnd((uint64_t)(lastb -
							                first +
							                1))) *
					       SECTOR -
				       h->off;
		}
		for (long k = 0; k < kept; k++)
			apply(&buf, &len, &cap, &recs[keep[k]],
				keep[k] == last && tear >= 0
					? tear
					: recs[keep[k]].h.len);
		fprintf(desc,
			"%s: synced at %ld, %ld of %ld later changes "
			"kept (%s)",
			names[n].name, fsync_at, kept, npend,
			prefix ? "a prefix" : "a subset");
		if (tear >= 0)
			fprintf(desc,
				", the last (record %ld, %lld bytes at "
				"%lld) torn after %lld bytes",
				last, (long long)recs[last].h.len,
				(long long)recs[last].h.off, (long long)tear);
		fputc('\n', desc);
		free(keep);
		snprintf(path, sizeof path, "%s/%s", work, names[n].name);
		put_file(path, buf, len);
	}
}

static int
run_cmd(char **cmd, const char *out)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("%s: %s", "fork");
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("%s: %s", "waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Keep a state that had findings as it was before the verification touched
 * it: built again from its seed into SAVEDIR/KIND-findingsF-stateN/dir,
 * beside the description, the expected commits and what the verification
 * printed; two of each kind and set of findings F.
 */
static void
save(const char *savedir, const char *kind, int rc, const struct state *st,
	uint64_t seed, int nosync, const char *side)
{
	char d[PATH_MAX], dir[PATH_MAX], path[PATH_MAX], cmd[PATH_MAX * 3];
	FILE *desc;

	snprintf(d, sizeof d, "%s/%s-findings%d-state%ld", savedir, kind, rc,
		st->id);
	snprintf(dir, sizeof dir, "%s/dir", d);
	snprintf(cmd, sizeof cmd,
		"rm -rf '%s' && mkdir -p '%s' && "
		"cp '%s.out' '%s/verify.out'",
		d, dir, side, d);
	if (system(cmd) != 0) {
		fprintf(stderr, "crashstates: could not save state %ld\n",
			st->id);
		return;
	}
	snprintf(path, sizeof path, "%s/state.txt", d);
	if ((desc = fopen(path, "w")) == NULL)
		die("%s: %s", path);
	rng = mix(seed * 1000003u + (uint64_t)st->id);
	rnd(1);
	fprintf(desc, "state %ld (seed %llu)%s: ", st->id,
		(unsigned long long)seed, nosync ? ", syncs dropped" : "");
	snprintf(path, sizeof path, "%s/expected", d);
	build(st->point, nosync, dir, path, desc);
	fclose(desc);
}

static int
cmd_run(int argc, char **argv)
{
	long nstates = 100, only = -1, ncand = 0, *cand;
	uint64_t seed = 1;
	const char *kind = "states", *target = NULL, *savedir = NULL;
	int nosync = 0, c, errors = 0, saved[16] = {0};
	long found[4] = {0}, bad = 0, marks = 0;
	struct state *st;
	char side[PATH_MAX], expected[PATH_MAX], out[PATH_MAX], desc[PATH_MAX];

	while ((c = getopt(argc, argv, "+n:s:k:f:de:1:")) != -1) {
		switch (c) {
		case 'n':
			nstates = atol(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'k':
			kind = optarg;
			break;
		case 'f':
			target = optarg;
			break;
		case 'd':
			nosync = 1;
			break;
		case 'e':
			savedir = optarg;
			break;
		case '1':
			only = atol(optarg);
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 4) {
		fputs("usage: crashstates run [-n STATES] [-s SEED] [-k KIND] "
		      "[-f NAME] [-d] [-e SAVEDIR] [-1 STATE] LOG SNAP WORK "
		      "CMD [ARG...]\n",
			stderr);
		return 2;
	}
	load_snap(argv[optind + 1]);
	load_log(argv[optind], target);
	for (long i = 0; i < nrec; i++)
		marks += recs[i].h.op == PL_MARK;
	/* Crash points: after any record, or after one touching -f NAME. */
	cand = xrealloc(NULL, (size_t)(nrec + 1) * sizeof *cand);
	for (long p = 0; p <= nrec; p++)
		if (target == NULL || (p > 0 && recs[p - 1].on_target))
			cand[ncand++] = p;
	if (ncand == 0) {
		fprintf(stderr,
			"crashstates: no crash point to draw from "
			"(%ld records)\n",
			nrec);
		return 2;
	}
	st = xrealloc(NULL, (size_t)nstates * sizeof *st);
	for (long i = 0; i < nstates; i++) {
		rng = mix(seed * 1000003u + (uint64_t)i);
		st[i].id = i;
		st[i].point = cand[rnd((uint64_t)ncand)];
	}
	qsort(st, (size_t)nstates, sizeof *st, by_point);
	snprintf(side, sizeof side, "%s.state", argv[optind + 2]);
	snprintf(expected, sizeof expected, "%s.expected", side);
	snprintf(out, sizeof out, "%s.out", side);
	snprintf(desc, sizeof desc, "%s.desc", side);
	setenv("CRASH_DIR", argv[optind + 2], 1);
	setenv("CRASH_EXPECTED", expected, 1);
	long ran = 0;
	for (long i = 0; i < nstates; i++) {
		char id[32];
		FILE *d;
		int rc;

		if (only >= 0 && st[i].id != only)
			continue;
		rng = mix(seed * 1000003u + (uint64_t)st[i].id);
		rnd(1); /* the draw of the crash point */
		if ((d = fopen(desc, "w")) == NULL)
			die("%s: %s", desc);
		fprintf(d, "state %ld (seed %llu)%s: ", st[i].id,
			(unsigned long long)seed,
			nosync ? ", syncs dropped" : "");
		build(st[i].point, nosync, argv[optind + 2], expected, d);
		fclose(d);
		snprintf(id, sizeof id, "%ld", st[i].id);
		setenv("CRASH_STATE", id, 1);
		rc = run_cmd(argv + optind + 3, out);
		ran++;
		if (rc > 15) {
			errors++;
			fprintf(stderr, "# state %ld: verification exit %d\n",
				st[i].id, rc);
			continue;
		}
		bad += rc != 0;
		for (int b = 0; b < 4; b++)
			found[b] += (rc & (1 << b)) != 0;
		if (rc != 0 && savedir != NULL && saved[rc]++ < 2)
			save(savedir, kind, rc, &st[i], seed, nosync, side);
		if (rc != 0 && getenv("CRASH_VERBOSE") != NULL)
			fprintf(stderr, "# state %ld: findings %d\n", st[i].id,
				rc);
	}
	free(cand);
	free(st);
	printf("%s: %ld states, %ld would not open, %ld first check failed, "
	       "%ld lost commits, %ld still damaged, %d harness errors "
	       "(%ld crash points of %ld records, %ld commits reported)\n",
		kind, ran, found[0], found[1], found[2], found[3], errors,
		ncand, nrec, marks);
	return errors ? 2 : bad ? 1 : 0;
}

static int
cmd_dump(const char *log, const char *snap)
{
	static const char *ops[] = {"?", "open", "write", "truncate", "extend",
		"fsync", "dirsync", "syncall", "rename", "unlink", "mark",
		"nop"};

	load_snap(snap);
	load_log(log, NULL);
	for (long i = 0; i < nrec; i++) {
		const struct rec *r = &recs[i];
		uint32_t op = r->h.op <= PL_NOP ? r->h.op : 0;

		printf("%ld %s pid %d file %d ino %llu off %lld len %lld "
		       "%s%s%s%s\n",
			i, ops[op], r->h.pid, r->fid,
			(unsigned long long)r->h.ino, (long long)r->h.off,
			(long long)r->h.len, r->name, *r->name2 ? " -> " : "",
			r->name2, r->meta ? " (directory)" : "");
	}
	return 0;
}

static int
cmd_snap(const char *dir, const char *snap)
{
	char path[PATH_MAX], to[PATH_MAX];
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	FILE *m;

	snprintf(path, sizeof path, "%s/files", snap);
	if (d == NULL || (mkdir(snap, 0700) < 0 && errno != EEXIST) ||
		(mkdir(path, 0700) < 0 && errno != EEXIST))
		die("%s: %s", snap);
	snprintf(path, sizeof path, "%s/manifest", snap);
	if ((m = fopen(path, "w")) == NULL)
		die("%s: %s", path);
	while ((e = readdir(d)) != NULL) {
		size_t len;
		const unsigned char *p;

		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		p = map_file(path, &len);
		snprintf(to, sizeof to, "%s/files/%s", snap, e->d_name);
		put_file(to, p, len);
		if (len > 0)
			munmap((void *)p, len);
		fprintf(m, "%llu %s\n", (unsigned long long)st.st_ino,
			e->d_name);
	}
	closedir(d);
	fclose(m);
	return 0;
}

static int
cmd_mark(const char *log, const char *text)
{
	size_t n = strlen(text);
	struct plrec h = {PL_MAGIC, PL_MARK, 0, 0, (int64_t)n + 1, 0, 0,
		(int32_t)getpid(), 0};
	char *buf = xrealloc(NULL, sizeof h + n + 1);
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, text, n);
	buf[sizeof h + n] = '\n';
	if (fd < 0 ||
		write(fd, buf, sizeof h + n + 1) != (ssize_t)(sizeof h + n + 1))
		die("%s: %s", log);
	close(fd);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "snap") == 0)
		return cmd_snap(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "dump") == 0)
		return cmd_dump(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "mark") == 0)
		return cmd_mark(argv[2], argv[3]);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	fputs("usage: crashstates snap DIR SNAP | mark LOG TEXT | "
	      "dump LOG SNAP | run ...\n",
		stderr);
	return 2;
}

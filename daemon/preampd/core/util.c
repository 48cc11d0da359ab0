// SPDX-License-Identifier: MIT
/* Small pure helpers: UTF-8, number parsing, bounded reads, atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <strings.h>
#include <sys/stat.h>

#include "util.h"
#include "utf8.h"

/* One UTF-8 character at s (n bytes left): its length, or 0 when the
 * sequence is invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;

	if (n == 0)
		return 0;
	len = preamp_utf8_next((const char *)s, n, cp);
	return *cp == PREAMP_UTF8_INVALID ? 0 : len;
}

static bool is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

bool pa_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;
	uint32_t cp;

	while (i < len) {
		l = utf8_decode(p + i, len - i, &cp);
		if (l == 0 || cp == 0)
			return false;
		i += l;
	}
	return true;
}

bool pa_has_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;
	uint32_t cp;

	while (i < len) {
		l = utf8_decode(p + i, len - i, &cp);
		if (l == 0)
			return true;	/* not even UTF-8: treat as unsafe */
		if (is_control(cp))
			return true;
		i += l;
	}
	return false;
}

size_t pa_utf8_sanitize(const char *in, size_t len, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0, l;
	uint32_t cp;

	if (outsz == 0)
		return 0;
	while (i < len) {
		const char *src;
		size_t n;

		l = utf8_decode(p + i, len - i, &cp);
		if (l == 0) {
			src = "\xef\xbf\xbd";	/* U+FFFD */
			n = 3;
			l = 1;
		} else if (is_control(cp)) {
			src = " ";
			n = 1;
		} else {
			src = in + i;
			n = l;
		}
		if (o + n + 1 > outsz)
			break;
		memcpy(out + o, src, n);
		o += n;
		i += l;
	}
	out[o] = '\0';
	return o;
}

int pa_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < PA_ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int pa_parse_double(const char *v, double *out)
{
	char *end;
	double x;
	const char *c;

	/* decimal only: no hex floats, no "inf"/"nan" spellings */
	for (c = v; *c; c++)
		if (!strchr("0123456789+-.eE", *c))
			return -EINVAL;
	errno = 0;
	x = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(x))
		return -EINVAL;
	*out = x;
	return 0;
}

int pa_parse_uint(const char *v, unsigned long min, unsigned long max,
		  unsigned long *out)
{
	char *end;
	unsigned long x;

	if (*v < '0' || *v > '9')
		return -EINVAL;	/* no sign, no space */
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

void pa_format_db(double db, char *buf, size_t n)
{
	size_t l;

	if (fabs(db) < 0.00005)
		db = 0.0;	/* no "-0" */
	snprintf(buf, n, "%.4f", db);
	if (!strchr(buf, '.'))
		return;
	l = strlen(buf);
	while (l > 0 && buf[l - 1] == '0')
		buf[--l] = '\0';
	if (l > 0 && buf[l - 1] == '.')
		buf[--l] = '\0';
}

bool pa_streq_ci(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

int pa_read_file_at(int dirfd, const char *name, size_t max, char **out,
		    size_t *len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t got = 0;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EBADF;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	buf = malloc(max + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r = read(fd, buf + got, max + 1 - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got > max)
			return -EFBIG;	/* grew while we read */
	}
	buf[got] = '\0';
	*out = buf;
	buf = NULL;
	if (len)
		*len = got;
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t r = write(fd, data, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += r;
		len -= (size_t)r;
	}
	return 0;
}

int pa_write_file_atomic(int dirfd, const char *name, const char *data,
			 size_t len, mode_t mode, bool durable)
{
	char tmp[300];
	_cleanup_close_ int fd = -1;
	int r, n;

	n = snprintf(tmp, sizeof(tmp), ".%s.tmp-%ld", name, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp) || strchr(name, '/'))
		return -EINVAL;
	fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	r = write_all(fd, data, len);
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && durable && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && close(fd) < 0)
		r = -errno;
	fd = -1;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	if (durable && fsync(dirfd) < 0)
		return -errno;
	return 0;
}

/* ".NAME.tmp-PID": the PID, or 0 when name is not such a file */
static long tmp_owner(const char *name)
{
	const char *t = strstr(name, ".tmp-");
	unsigned long pid;

	if (name[0] != '.' || !t || t == name + 1)
		return 0;
	while (strstr(t + 1, ".tmp-"))
		t = strstr(t + 1, ".tmp-");
	if (pa_parse_uint(t + 5, 1, 0x7fffffff, &pid) < 0)
		return 0;
	return (long)pid;
}

int pa_remove_stale_tmp(int dirfd)
{
	DIR *d;
	struct dirent *e;
	int fd, n = 0;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((e = readdir(d))) {
		long pid = tmp_owner(e->d_name);

		/* a process that still runs may be writing it */
		if (pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (unlinkat(dirfd, e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

uint64_t pa_clock_usec(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

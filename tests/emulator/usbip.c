// SPDX-License-Identifier: MIT
/*
 * The USB/IP transport: connections, the OP_* handshake, URBs on endpoint 0,
 * the interrupt endpoint and the isochronous endpoint.
 *
 * One thread, no blocking: every socket is non-blocking, input is parsed
 * from a bounded buffer once a whole message is there, output is queued and
 * flushed as the socket accepts it. Endpoint 0 is a FIFO as on a real bus:
 * a delayed reply holds back the requests behind it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "usbip.h"

/* The handshake (OP_*): 16-bit codes after a 16-bit version. */
#define USBIP_VERSION		0x0111
#define OP_REQ_DEVLIST		0x8005
#define OP_REP_DEVLIST		0x0005
#define OP_REQ_IMPORT		0x8003
#define OP_REP_IMPORT		0x0003
#define OP_HEADER_LEN		8
#define OP_PATH_LEN		256
#define OP_BUSID_LEN		32
#define OP_DEVICE_LEN		312	/* path .. bNumInterfaces */
#define OP_ST_OK		0
#define OP_ST_NA		1	/* no such device */
#define OP_ST_DEV_BUSY		2	/* already imported */

/* After the import: 48-byte URB headers. */
#define USBIP_CMD_SUBMIT	1
#define USBIP_CMD_UNLINK	2
#define USBIP_RET_SUBMIT	3
#define USBIP_RET_UNLINK	4
#define USBIP_DIR_OUT		0
#define USBIP_DIR_IN		1
#define URB_HEADER_LEN		48
#define ISO_DESC_LEN		16
#define MAX_ISO_PACKETS		1024
#define MAX_OUT_LEN		65536		/* the longest control OUT */
#define MAX_IN_LEN		(16u << 20)	/* a sanity bound only */
#define MAX_URBS		512		/* outstanding per connection */
#define IN_BUF_LEN		(URB_HEADER_LEN + MAX_OUT_LEN + \
				 MAX_ISO_PACKETS * ISO_DESC_LEN)
#define OUT_MAX			(8u << 20)	/* unsent bytes before a drop */
#define MAX_CONNS		4

#define USB_SPEED_HIGH		3
#define MS			1000000ull
#define PACKET_NS		(1 * MS)	/* one iso packet: bInterval 4 */
/*
 * A host that resubmits late gets the missed packets at once, so the data
 * stays continuous and in step with the model's clock; only a stall longer
 * than this (a paused VM) restarts the packet clock at the present.
 */
#define ISO_RESYNC_NS		(50 * MS)
#define CATCH_UP_NS		(50 * MS)

/* USB requests */
#define USB_DIR_IN		0x80
#define USB_TYPE_MASK		0x60
#define USB_TYPE_STANDARD	0x00
#define USB_TYPE_CLASS		0x20
#define USB_TYPE_VENDOR		0x40
#define USB_RECIP_MASK		0x1f
#define USB_RECIP_DEVICE	0x00
#define USB_RECIP_INTERFACE	0x01
#define USB_RECIP_ENDPOINT	0x02

#define REQ_GET_STATUS		0x00
#define REQ_CLEAR_FEATURE	0x01
#define REQ_SET_FEATURE		0x03
#define REQ_SET_ADDRESS		0x05
#define REQ_GET_DESCRIPTOR	0x06
#define REQ_GET_CONFIGURATION	0x08
#define REQ_SET_CONFIGURATION	0x09
#define REQ_GET_INTERFACE	0x0a
#define REQ_SET_INTERFACE	0x0b

#define DESC_DEVICE		0x01
#define DESC_CONFIG		0x02
#define DESC_STRING		0x03

#define FEATURE_ENDPOINT_HALT	0
#define FEATURE_REMOTE_WAKEUP	1

#define NOTIFY_MAX		64	/* the longest notification */
#define PACKET_FRAMES		48	/* one 1 ms packet at 48 kHz */
#define MAX_CHANNELS		32
#define DEVICE_DESC_LEN		18

enum urb_kind { URB_CTRL, URB_INT, URB_ISO };

struct iso_packet {
	uint32_t offset;
	uint32_t length;
};

struct urb {
	struct urb *next;
	enum urb_kind kind;
	uint32_t seqnum;
	uint32_t np_wire;	/* number_of_packets as received, echoed */
	bool dir_in;
	uint32_t length;	/* transfer_buffer_length */
	uint8_t setup[8];
	uint8_t *data;		/* control: OUT data, then the IN reply */
	uint32_t actual;
	int status;
	bool started;		/* control: the device has seen it */
	uint64_t due_ns;
	uint32_t np;		/* iso packets */
	struct iso_packet *pkts;
};

struct urb_queue {
	struct urb *head;
	struct urb **tail;
};

struct conn {
	int fd;
	bool imported;
	bool closing;		/* close once the output is flushed */
	const char *dead;	/* why it must be closed, or NULL */
	char peer[48];
	uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_len;
	size_t out_cap;
};

struct emu_usbip {
	struct emu_personality *p;
	const struct emu_usb_layout *u;
	struct emu_stats *stats;
	bool verbose;
	char busid[OP_BUSID_LEN];
	uint32_t busnum, devnum;
	int listen_fd;
	struct conn conns[MAX_CONNS];
	int polled[MAX_CONNS];	/* conn index of each pollfd after the first */
	size_t npolled;

	/* the device, while a connection has it imported */
	struct conn *dev_conn;
	uint8_t config;
	uint8_t as_alt;
	bool halted[2][16];	/* [in][endpoint number] */
	struct urb_queue ep0, intr, iso;
	unsigned int nurbs;
	uint64_t notify_next_ns;
	uint64_t catch_up_ns;
	bool streaming;
	uint64_t iso_clock_ns;	/* end of the last scheduled packet; 0: none */
	uint64_t iso_pos;	/* capture cursor on the model's timeline */
	int16_t pcm[PACKET_FRAMES * MAX_CHANNELS];
};

/* ---- small helpers ------------------------------------------------------ */

__attribute__((format(printf, 1, 2)))
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("preamp-emu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define vlog(s, ...) do { if ((s)->verbose) logmsg(__VA_ARGS__); } while (0)

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return p + 4;
}

static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

bool emu_usbip_busid_valid(const char *busid)
{
	size_t n = strlen(busid), i;

	if (n < 1 || n > EMU_USBIP_BUSID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = busid[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '.' ||
		      ch == ':'))
			return false;
	}
	return true;
}

/* ---- URB queues --------------------------------------------------------- */

static void queue_init(struct urb_queue *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

static void queue_push(struct urb_queue *q, struct urb *urb)
{
	urb->next = NULL;
	*q->tail = urb;
	q->tail = &urb->next;
}

static struct urb *queue_pop(struct urb_queue *q)
{
	struct urb *urb = q->head;

	if (urb) {
		q->head = urb->next;
		if (!q->head)
			q->tail = &q->head;
	}
	return urb;
}

/* Takes the URB with seqnum out of q; NULL when it is not there. */
static struct urb *queue_take(struct urb_queue *q, uint32_t seqnum)
{
	struct urb **pp, *urb;

	for (pp = &q->head; (urb = *pp); pp = &urb->next) {
		if (urb->seqnum != seqnum)
			continue;
		*pp = urb->next;
		if (q->tail == &urb->next)
			q->tail = pp;
		return urb;
	}
	return NULL;
}

static void urb_free(struct emu_usbip *s, struct urb *urb)
{
	if (!urb)
		return;
	free(urb->data);
	free(urb->pkts);
	free(urb);
	s->nurbs--;
}

static void queue_free(struct emu_usbip *s, struct urb_queue *q)
{
	struct urb *urb;

	while ((urb = queue_pop(q)))
		urb_free(s, urb);
}

/* ---- connection output -------------------------------------------------- */

static void conn_kill(struct conn *c, const char *why)
{
	if (!c->dead)
		c->dead = why;
}

/* Room for n more bytes at the end of the output, or NULL (c is dead). */
static uint8_t *conn_reserve(struct conn *c, size_t n)
{
	uint8_t *p;

	if (c->dead)
		return NULL;
	if (c->out_len + n > OUT_MAX) {
		conn_kill(c, "the host does not read its replies");
		return NULL;
	}
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 65536;

		while (cap < c->out_len + n)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			conn_kill(c, "out of memory");
			return NULL;
		}
		c->out = p;
		c->out_cap = cap;
	}
	p = c->out + c->out_len;
	c->out_len += n;
	memset(p, 0, n);
	return p;
}

static void conn_flush(struct conn *c)
{
	size_t done = 0;

	if (!c->out_len)
		return;
	while (done < c->out_len && !c->dead) {
		ssize_t n = send(c->fd, c->out + done, c->out_len - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_kill(c, "send failed");
			break;
		}
		done += (size_t)n;
	}
	memmove(c->out, c->out + done, c->out_len - done);
	c->out_len -= done;
}

/* ---- the device's life cycle -------------------------------------------- */

static void device_reset_state(struct emu_usbip *s)
{
	s->config = 0;
	s->as_alt = 0;
	s->streaming = false;
	s->iso_clock_ns = 0;
	memset(s->halted, 0, sizeof(s->halted));
}

static void device_plug(struct emu_usbip *s, struct conn *c, uint64_t now_ns)
{
	s->dev_conn = c;
	c->imported = true;
	device_reset_state(s);
	s->notify_next_ns = 0;
	s->catch_up_ns = now_ns + CATCH_UP_NS;
	s->stats->connections++;
	s->p->ops->power_on(s->p->dev, now_ns);
}

static void device_unplug(struct emu_usbip *s)
{
	queue_free(s, &s->ep0);
	queue_free(s, &s->intr);
	queue_free(s, &s->iso);
	device_reset_state(s);
	s->dev_conn = NULL;
	s->p->ops->power_off(s->p->dev);
}

static void conn_close(struct emu_usbip *s, struct conn *c, const char *why)
{
	if (c == s->dev_conn) {
		device_unplug(s);
		logmsg("%s: disconnected (%s): device unplugged", c->peer, why);
	} else {
		vlog(s, "%s: connection closed (%s)", c->peer, why);
	}
	close(c->fd);
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* ---- replies ------------------------------------------------------------ */

static uint8_t *ret_header(struct conn *c, uint32_t command, uint32_t seqnum,
			   size_t extra)
{
	uint8_t *p = conn_reserve(c, URB_HEADER_LEN + extra);

	if (!p)
		return NULL;
	put_be32(p, command);
	put_be32(p + 4, seqnum);
	/* devid, direction, ep: 0 from the server */
	return p;
}

static void send_ret_unlink(struct conn *c, uint32_t seqnum, int status)
{
	uint8_t *p = ret_header(c, USBIP_RET_UNLINK, seqnum, 0);

	if (p)
		put_be32(p + 20, (uint32_t)status);
}

/* RET_SUBMIT of a control or interrupt URB: header, then the IN data. */
static void send_ret_submit(struct conn *c, const struct urb *urb)
{
	uint32_t data = urb->dir_in && !urb->status ? urb->actual : 0;
	uint32_t actual = urb->status ? 0 : urb->actual;
	uint8_t *p = ret_header(c, USBIP_RET_SUBMIT, urb->seqnum, data);

	if (!p)
		return;
	put_be32(p + 20, (uint32_t)urb->status);
	put_be32(p + 24, actual);
	put_be32(p + 32, urb->np_wire);
	if (data)
		memcpy(p + URB_HEADER_LEN, urb->data, data);
}

/* RET_SUBMIT of an iso URB that carries no data (refused). */
static void send_iso_error(struct conn *c, const struct urb *urb, int status)
{
	size_t descs = (size_t)urb->np * ISO_DESC_LEN;
	uint8_t *p = ret_header(c, USBIP_RET_SUBMIT, urb->seqnum, descs);
	uint32_t i;

	if (!p)
		return;
	put_be32(p + 20, (uint32_t)status);
	put_be32(p + 32, urb->np);
	for (i = 0, p += URB_HEADER_LEN; i < urb->np; i++, p += ISO_DESC_LEN) {
		put_be32(p, urb->pkts[i].offset);
		put_be32(p + 4, urb->pkts[i].length);
		put_be32(p + 12, (uint32_t)status);
	}
}

/* ---- notifications ------------------------------------------------------ */

/* Completes held interrupt URBs with whatever the model has to say. */
static void notify_poll(struct emu_usbip *s, uint64_t now_ns)
{
	struct conn *c = s->dev_conn;

	while (c && !c->dead && s->intr.head && s->p->ops->notification) {
		uint8_t buf[NOTIFY_MAX];
		uint64_t next = UINT64_MAX;
		struct urb *urb;
		ssize_t n;

		n = s->p->ops->notification(s->p->dev, buf, sizeof(buf), now_ns,
					    &next);
		s->notify_next_ns = next;
		if (n == -EPROTO) {	/* an injected fault: fail this URB */
			urb = queue_pop(&s->intr);
			urb->status = -EPROTO;
			send_ret_submit(c, urb);
			urb_free(s, urb);
			continue;
		}
		if (n < 0)
			break;
		if ((size_t)n > sizeof(buf))
			n = sizeof(buf);
		urb = queue_pop(&s->intr);
		urb->actual = min_u32((uint32_t)n, urb->length);
		urb->data = malloc(sizeof(buf));
		if (!urb->data) {
			conn_kill(c, "out of memory");
			urb_free(s, urb);
			break;
		}
		memcpy(urb->data, buf, urb->actual);
		send_ret_submit(c, urb);
		s->stats->notify_sent++;
		vlog(s, "notification: %zu bytes", n);
		urb_free(s, urb);
	}
}

/* ---- endpoint 0 --------------------------------------------------------- */

struct setup {
	uint8_t type;
	uint8_t request;
	uint16_t value;
	uint16_t index;
	uint16_t length;
};

static struct setup parse_setup(const uint8_t *b)
{
	struct setup st = {
		.type = b[0],
		.request = b[1],
		.value = get_le16(b + 2),
		.index = get_le16(b + 4),
		.length = get_le16(b + 6),
	};

	return st;
}

/* Copies an IN reply of len bytes, cut to what the host asked for. */
static int reply_in(struct urb *urb, const struct setup *st, const void *src,
		    size_t len)
{
	if (!(st->type & USB_DIR_IN))
		return -EPIPE;
	if (len > st->length)
		len = st->length;
	memcpy(urb->data, src, len);
	urb->actual = (uint32_t)len;
	return 0;
}

static bool interface_exists(const struct emu_usbip *s, unsigned int intf)
{
	return intf < s->u->num_interfaces;
}

/* Endpoint address -> whether the current configuration has it. */
static bool endpoint_exists(const struct emu_usbip *s, unsigned int addr)
{
	if ((addr & 0x7f) == 0)
		return true;
	if (!s->config)
		return false;
	if (s->u->iso_ep && addr == s->u->iso_ep && s->as_alt == 1)
		return true;
	return s->u->int_ep && addr == s->u->int_ep;
}

static int std_get_descriptor(struct emu_usbip *s, struct urb *urb,
			      const struct setup *st)
{
	uint8_t buf[255];
	unsigned int type = st->value >> 8, index = st->value & 0xff;
	int len;

	switch (type) {
	case DESC_DEVICE:
		return reply_in(urb, st, s->u->device, DEVICE_DESC_LEN);
	case DESC_CONFIG:
		if (index != 0)
			return -EPIPE;
		return reply_in(urb, st, s->u->config, s->u->config_len);
	case DESC_STRING:
		len = s->p->ops->string(s->p->dev, index, buf, sizeof(buf));
		if (len < 0)
			return -EPIPE;
		return reply_in(urb, st, buf, (size_t)len);
	default:
		/* device qualifier, BOS, ...: a high-speed-only USB 2.0 device */
		return -EPIPE;
	}
}

static int std_set_configuration(struct emu_usbip *s, const struct setup *st)
{
	if (st->value > 1)
		return -EPIPE;
	device_reset_state(s);
	s->config = (uint8_t)st->value;
	return 0;
}

static void stream_start(struct emu_usbip *s, uint64_t now_ns)
{
	s->streaming = true;
	s->iso_clock_ns = 0;
	s->iso_pos = s->p->ops->stream_start(s->p->dev, now_ns);
	vlog(s, "capture stream on at frame %llu",
	     (unsigned long long)s->iso_pos);
}

static int std_set_interface(struct emu_usbip *s, const struct setup *st,
			     uint64_t now_ns)
{
	unsigned int intf = st->index, alt = st->value;

	if (!s->config || !interface_exists(s, intf))
		return -EPIPE;
	if (intf == s->u->as_intf && s->u->iso_ep) {
		if (alt > 1)
			return -EPIPE;
		s->as_alt = (uint8_t)alt;
		s->halted[1][s->u->iso_ep & 0x0f] = false;
		if (alt == 1)
			stream_start(s, now_ns);
		else
			s->streaming = false;
		return 0;
	}
	return alt == 0 ? 0 : -EPIPE;
}

static int std_feature(struct emu_usbip *s, const struct setup *st, bool set)
{
	unsigned int recip = st->type & USB_RECIP_MASK;

	if (recip == USB_RECIP_DEVICE)
		return st->value == FEATURE_REMOTE_WAKEUP ? 0 : -EPIPE;
	if (recip != USB_RECIP_ENDPOINT || st->value != FEATURE_ENDPOINT_HALT ||
	    !endpoint_exists(s, st->index & 0xff))
		return -EPIPE;
	if (st->index & 0x0f)
		s->halted[!!(st->index & USB_DIR_IN)][st->index & 0x0f] = set;
	return 0;
}

static int std_get_status(struct emu_usbip *s, struct urb *urb,
			  const struct setup *st)
{
	uint8_t status[2] = { 0, 0 };

	switch (st->type & USB_RECIP_MASK) {
	case USB_RECIP_DEVICE:
		break;
	case USB_RECIP_INTERFACE:
		if (!s->config || !interface_exists(s, st->index))
			return -EPIPE;
		break;
	case USB_RECIP_ENDPOINT:
		if (!endpoint_exists(s, st->index & 0xff))
			return -EPIPE;
		status[0] = s->halted[!!(st->index & USB_DIR_IN)][st->index & 0x0f];
		break;
	default:
		return -EPIPE;
	}
	return reply_in(urb, st, status, sizeof(status));
}

static int standard_request(struct emu_usbip *s, struct urb *urb,
			    const struct setup *st, uint64_t now_ns)
{
	uint8_t byte;

	switch (st->request) {
	case REQ_GET_DESCRIPTOR:
		return std_get_descriptor(s, urb, st);
	case REQ_SET_ADDRESS:
		return 0;
	case REQ_SET_CONFIGURATION:
		return std_set_configuration(s, st);
	case REQ_GET_CONFIGURATION:
		return reply_in(urb, st, &s->config, 1);
	case REQ_SET_INTERFACE:
		return std_set_interface(s, st, now_ns);
	case REQ_GET_INTERFACE:
		if (!s->config || !interface_exists(s, st->index))
			return -EPIPE;
		byte = st->index == s->u->as_intf ? s->as_alt : 0;
		return reply_in(urb, st, &byte, 1);
	case REQ_GET_STATUS:
		return std_get_status(s, urb, st);
	case REQ_CLEAR_FEATURE:
		return std_feature(s, st, false);
	case REQ_SET_FEATURE:
		return std_feature(s, st, true);
	default:
		return -EPIPE;
	}
}

/*
 * A class or vendor request: the personality decides. Returns the status;
 * a disconnect fault kills the connection.
 */
static int device_request(struct emu_usbip *s, struct urb *urb,
			  const struct setup *st, uint64_t now_ns,
			  struct emu_xfer *x)
{
	struct emu_setup es = {
		st->type, st->request, st->value, st->index, st->length
	};
	uint8_t dummy[1];
	uint8_t *buf = urb->data ? urb->data : dummy;
	size_t cap = urb->data ? (st->type & USB_DIR_IN ? st->length :
				  urb->length) : 0;

	*x = s->p->ops->control(s->p->dev, &es, buf, cap, now_ns);
	if (x->disconnect) {
		logmsg("fault: dropping the connection on %s",
		       x->name ? x->name : "a request");
		conn_kill(s->dev_conn, "disconnect fault");
		return -EPIPE;
	}
	urb->due_ns = now_ns + (uint64_t)x->delay_ms * MS;
	if (x->status)
		return -EPIPE;
	if (st->type & USB_DIR_IN)
		urb->actual = (uint32_t)(x->len < st->length ? x->len : st->length);
	return 0;
}

static const char *result_text(const struct urb *urb, char *buf, size_t size)
{
	if (urb->status)
		return "STALL";
	if (urb->dir_in)
		snprintf(buf, size, "%u bytes", urb->actual);
	else
		snprintf(buf, size, "ok");
	return buf;
}

/* The device sees the request at the head of endpoint 0's queue. */
static void ep0_start(struct emu_usbip *s, struct urb *urb, uint64_t now_ns)
{
	struct setup st = parse_setup(urb->setup);
	bool dir_in = st.type & USB_DIR_IN;
	struct emu_xfer x = { 0 };
	bool model = false;
	char text[32];
	int status;

	urb->started = true;
	urb->due_ns = now_ns;
	if (dir_in) {
		urb->data = calloc(1, st.length ? st.length : 1);
		if (!urb->data) {
			conn_kill(s->dev_conn, "out of memory");
			return;
		}
	}

	if (dir_in != urb->dir_in ||
	    (!dir_in && urb->length != st.length)) {
		/* the setup and the URB disagree on the data stage */
		status = -EPIPE;
		s->stats->std_requests++;
	} else if ((st.type & USB_TYPE_MASK) == USB_TYPE_STANDARD) {
		s->stats->std_requests++;
		status = standard_request(s, urb, &st, now_ns);
	} else if (!s->config) {
		s->stats->std_requests++;
		status = -EPIPE;
	} else {
		status = device_request(s, urb, &st, now_ns, &x);
		model = x.device;
		if (!model)
			s->stats->std_requests++;
	}
	if (s->dev_conn->dead)
		return;		/* a disconnect fault: no answer at all */
	urb->status = status;
	if (urb->actual > urb->length)
		urb->actual = urb->length;
	if (!dir_in && !status)
		urb->actual = urb->length;

	vlog(s, "ep0 %02x %02x %04x %04x %04x%s%s: %s%s", st.type, st.request,
	     st.value, st.index, st.length, model ? " " : "",
	     model && x.name ? x.name : "",
	     result_text(urb, text, sizeof(text)),
	     urb->due_ns > now_ns ? " (delayed)" : "");

	if (model)
		notify_poll(s, now_ns);
}

/* Runs endpoint 0's queue as far as time allows. */
static void ep0_run(struct emu_usbip *s, uint64_t now_ns)
{
	struct conn *c = s->dev_conn;
	struct urb *urb;

	while (c && !c->dead && (urb = s->ep0.head)) {
		if (!urb->started) {
			ep0_start(s, urb, now_ns);
			if (c->dead)
				return;
		}
		if (urb->due_ns > now_ns)
			return;
		queue_pop(&s->ep0);
		send_ret_submit(c, urb);
		urb_free(s, urb);
	}
}

/* ---- the isochronous stream --------------------------------------------- */

static void iso_schedule(struct emu_usbip *s, struct urb *urb, uint64_t now_ns)
{
	uint64_t span = (uint64_t)urb->np * PACKET_NS;

	if (!s->iso_clock_ns || s->iso_clock_ns + ISO_RESYNC_NS < now_ns) {
		if (s->iso_clock_ns)
			vlog(s, "iso clock %llu ms behind: restarted",
			     (unsigned long long)((now_ns - s->iso_clock_ns) / MS));
		s->iso_clock_ns = now_ns;
	}
	s->iso_clock_ns += span;
	urb->due_ns = s->iso_clock_ns;
}

/* Fills and sends an iso URB: payload back to back, then descriptors. */
static void iso_complete(struct emu_usbip *s, struct urb *urb, uint64_t now_ns)
{
	unsigned int fb = s->u->iso_frame_bytes;
	uint32_t frames[MAX_ISO_PACKETS];
	size_t total = 0;
	struct conn *c = s->dev_conn;
	uint8_t *p, *desc;
	uint32_t i;

	for (i = 0; i < urb->np; i++) {
		frames[i] = min_u32(PACKET_FRAMES, urb->pkts[i].length / fb);
		total += (size_t)frames[i] * fb;
	}
	p = ret_header(c, USBIP_RET_SUBMIT, urb->seqnum,
		       total + (size_t)urb->np * ISO_DESC_LEN);
	if (!p)
		return;
	put_be32(p + 24, (uint32_t)total);	/* actual_length */
	put_be32(p + 32, urb->np);		/* number_of_packets */
	desc = p + URB_HEADER_LEN + total;
	p += URB_HEADER_LEN;

	for (i = 0; i < urb->np; i++, desc += ISO_DESC_LEN) {
		size_t samples = (size_t)frames[i] * s->u->channels;

		if (frames[i]) {
			/* the model's samples are S16_LE already */
			s->p->ops->capture(s->p->dev, &s->iso_pos, s->pcm,
					   frames[i], now_ns);
			memcpy(p, s->pcm, samples * sizeof(int16_t));
			p += samples * sizeof(int16_t);
		}
		put_be32(desc, urb->pkts[i].offset);
		put_be32(desc + 4, urb->pkts[i].length);
		put_be32(desc + 8, frames[i] * fb);	/* actual_length */
		/* status 0 */
	}
	s->stats->iso_urbs++;
	s->stats->iso_packets += urb->np;
}

static void iso_run(struct emu_usbip *s, uint64_t now_ns)
{
	struct urb *urb;

	while (s->dev_conn && !s->dev_conn->dead && (urb = s->iso.head) &&
	       urb->due_ns <= now_ns) {
		queue_pop(&s->iso);
		iso_complete(s, urb, now_ns);
		urb_free(s, urb);
	}
}

/* ---- URB messages ------------------------------------------------------- */

static bool is_iso_ep(const struct emu_usbip *s, uint32_t dir, uint32_t ep)
{
	return s->u->iso_ep && dir == USBIP_DIR_IN &&
	       ep == (s->u->iso_ep & 0x0fu);
}

static bool is_int_ep(const struct emu_usbip *s, uint32_t dir, uint32_t ep)
{
	return s->u->int_ep && dir == USBIP_DIR_IN &&
	       ep == (s->u->int_ep & 0x0fu);
}

/*
 * The length of the URB message at m (avail bytes so far): 0 while its
 * header is incomplete, -1 if it is malformed (*why says how).
 */
static long urb_msg_len(const struct emu_usbip *s, const uint8_t *m,
			size_t avail, const char **why)
{
	uint32_t command, dir, ep, length, np;
	size_t len = URB_HEADER_LEN;

	if (avail < URB_HEADER_LEN)
		return 0;
	command = get_be32(m);
	if (command == USBIP_CMD_UNLINK)
		return URB_HEADER_LEN;
	if (command != USBIP_CMD_SUBMIT) {
		*why = "unknown USB/IP command";
		return -1;
	}
	dir = get_be32(m + 12);
	ep = get_be32(m + 16);
	length = get_be32(m + 24);
	np = get_be32(m + 32);
	if (dir > USBIP_DIR_IN || ep > 15) {
		*why = "bad direction or endpoint in CMD_SUBMIT";
		return -1;
	}
	if (dir == USBIP_DIR_OUT) {
		if (length > MAX_OUT_LEN) {
			*why = "OUT transfer too long";
			return -1;
		}
		len += length;
	} else if (length > MAX_IN_LEN) {
		*why = "IN transfer too long";
		return -1;
	}
	if (is_iso_ep(s, dir, ep) && np != 0 && np != UINT32_MAX) {
		if (np > MAX_ISO_PACKETS) {
			*why = "too many iso packets";
			return -1;
		}
		len += (size_t)np * ISO_DESC_LEN;
	}
	return (long)len;
}

static struct urb *urb_new(struct emu_usbip *s, enum urb_kind kind,
			   const uint8_t *m)
{
	struct urb *urb;

	if (s->nurbs >= MAX_URBS) {
		conn_kill(s->dev_conn, "too many outstanding URBs");
		return NULL;
	}
	urb = calloc(1, sizeof(*urb));
	if (!urb) {
		conn_kill(s->dev_conn, "out of memory");
		return NULL;
	}
	s->nurbs++;
	urb->kind = kind;
	urb->seqnum = get_be32(m + 4);
	urb->dir_in = get_be32(m + 12) == USBIP_DIR_IN;
	urb->length = get_be32(m + 24);
	urb->np_wire = get_be32(m + 32);
	memcpy(urb->setup, m + 40, sizeof(urb->setup));
	return urb;
}

static void submit_control(struct emu_usbip *s, const uint8_t *m,
			   uint64_t now_ns)
{
	struct urb *urb = urb_new(s, URB_CTRL, m);

	if (!urb)
		return;
	if (!urb->dir_in && urb->length) {
		urb->data = malloc(urb->length);
		if (!urb->data) {
			conn_kill(s->dev_conn, "out of memory");
			urb_free(s, urb);
			return;
		}
		memcpy(urb->data, m + URB_HEADER_LEN, urb->length);
	}
	queue_push(&s->ep0, urb);
	ep0_run(s, now_ns);
}

static void submit_interrupt(struct emu_usbip *s, const uint8_t *m,
			     uint64_t now_ns)
{
	struct urb *urb = urb_new(s, URB_INT, m);

	if (!urb)
		return;
	if (!endpoint_exists(s, s->u->int_ep) ||
	    s->halted[1][s->u->int_ep & 0x0f]) {
		urb->status = -EPIPE;
		send_ret_submit(s->dev_conn, urb);
		urb_free(s, urb);
		return;
	}
	queue_push(&s->intr, urb);
	notify_poll(s, now_ns);
}

static void submit_iso(struct emu_usbip *s, const uint8_t *m, uint64_t now_ns)
{
	struct urb *urb = urb_new(s, URB_ISO, m);
	const uint8_t *d = m + URB_HEADER_LEN;
	uint32_t i;

	if (!urb)
		return;
	urb->np = urb->np_wire == UINT32_MAX ? 0 : urb->np_wire;
	urb->pkts = calloc(urb->np ? urb->np : 1, sizeof(*urb->pkts));
	if (!urb->pkts) {
		conn_kill(s->dev_conn, "out of memory");
		urb_free(s, urb);
		return;
	}
	for (i = 0; i < urb->np; i++, d += ISO_DESC_LEN) {
		urb->pkts[i].offset = get_be32(d);
		urb->pkts[i].length = get_be32(d + 4);
		if ((uint64_t)urb->pkts[i].offset + urb->pkts[i].length >
		    urb->length) {
			conn_kill(s->dev_conn, "iso packet outside its buffer");
			urb_free(s, urb);
			return;
		}
	}
	if (!urb->np || !s->streaming || s->halted[1][s->u->iso_ep & 0x0f]) {
		send_iso_error(s->dev_conn, urb, -EPIPE);
		urb_free(s, urb);
		return;
	}
	iso_schedule(s, urb, now_ns);
	queue_push(&s->iso, urb);
	iso_run(s, now_ns);
}

static void submit_other(struct emu_usbip *s, const uint8_t *m)
{
	struct urb *urb = urb_new(s, URB_CTRL, m);

	if (!urb)
		return;
	vlog(s, "URB for endpoint %u %s: no such endpoint", get_be32(m + 16),
	     urb->dir_in ? "IN" : "OUT");
	urb->status = -EPIPE;
	send_ret_submit(s->dev_conn, urb);
	urb_free(s, urb);
}

static void handle_unlink(struct emu_usbip *s, const uint8_t *m,
			  uint64_t now_ns)
{
	uint32_t seqnum = get_be32(m + 4), victim = get_be32(m + 20);
	bool head = s->ep0.head && s->ep0.head->seqnum == victim;
	struct urb *urb;

	urb = queue_take(&s->ep0, victim);
	if (!urb)
		urb = queue_take(&s->intr, victim);
	if (!urb)
		urb = queue_take(&s->iso, victim);
	vlog(s, "unlink of URB %u: %s", victim, urb ? "cancelled" : "done already");
	send_ret_unlink(s->dev_conn, seqnum, urb ? -ECONNRESET : 0);
	urb_free(s, urb);
	if (head)
		ep0_run(s, now_ns);
}

static void handle_urb_msg(struct emu_usbip *s, const uint8_t *m,
			   uint64_t now_ns)
{
	uint32_t dir = get_be32(m + 12), ep = get_be32(m + 16);

	if (get_be32(m) == USBIP_CMD_UNLINK)
		handle_unlink(s, m, now_ns);
	else if (ep == 0)
		submit_control(s, m, now_ns);
	else if (s->config && is_iso_ep(s, dir, ep))
		submit_iso(s, m, now_ns);
	else if (s->config && is_int_ep(s, dir, ep))
		submit_interrupt(s, m, now_ns);
	else
		submit_other(s, m);
}

/* ---- the handshake ------------------------------------------------------ */

/* The device record of OP_REP_DEVLIST / OP_REP_IMPORT (312 bytes). */
static void put_device(const struct emu_usbip *s, uint8_t *p)
{
	const struct emu_usb_layout *u = s->u;

	snprintf((char *)p, OP_PATH_LEN, "/sys/devices/preamp-emu/usb%u/%s",
		 s->busnum, s->busid);
	memcpy(p + OP_PATH_LEN, s->busid, strlen(s->busid));
	p += OP_PATH_LEN + OP_BUSID_LEN;
	p = put_be32(p, s->busnum);
	p = put_be32(p, s->devnum);
	p = put_be32(p, USB_SPEED_HIGH);
	p = put_be16(p, u->vendor_id);
	p = put_be16(p, u->product_id);
	p = put_be16(p, u->bcd_device);
	*p++ = u->dev_class;
	*p++ = u->dev_subclass;
	*p++ = u->dev_protocol;
	*p++ = 1;			/* bConfigurationValue */
	*p++ = 1;			/* bNumConfigurations */
	*p++ = u->num_interfaces;
}

static uint8_t *op_reply(struct conn *c, uint16_t code, uint32_t status,
			 size_t extra)
{
	uint8_t *p = conn_reserve(c, OP_HEADER_LEN + extra);

	if (!p)
		return NULL;
	put_be16(p, USBIP_VERSION);
	put_be16(p + 2, code);
	put_be32(p + 4, status);
	return p + OP_HEADER_LEN;
}

static void op_devlist(struct emu_usbip *s, struct conn *c)
{
	const struct emu_usb_layout *u = s->u;
	size_t len = 4 + OP_DEVICE_LEN + 4u * u->num_interfaces;
	uint8_t *p = op_reply(c, OP_REP_DEVLIST, OP_ST_OK, len);
	unsigned int i;

	if (!p)
		return;
	p = put_be32(p, 1);		/* one device */
	put_device(s, p);
	p += OP_DEVICE_LEN;
	for (i = 0; i < u->num_interfaces; i++, p += 4) {
		p[0] = u->intf[i].cls;
		p[1] = u->intf[i].subclass;
		p[2] = u->intf[i].protocol;
	}
	logmsg("%s: device list", c->peer);
	c->closing = true;
}

static void op_import(struct emu_usbip *s, struct conn *c, const uint8_t *busid,
		      uint64_t now_ns)
{
	char want[OP_BUSID_LEN + 1];
	uint8_t *p;

	memcpy(want, busid, OP_BUSID_LEN);
	want[OP_BUSID_LEN] = '\0';

	if (strcmp(want, s->busid) || s->dev_conn) {
		bool busy = !strcmp(want, s->busid);

		logmsg("%s: import of '%.32s' refused (%s)", c->peer, want,
		       busy ? "already imported" : "no such busid");
		op_reply(c, OP_REP_IMPORT, busy ? OP_ST_DEV_BUSY : OP_ST_NA, 0);
		c->closing = true;
		return;
	}
	p = op_reply(c, OP_REP_IMPORT, OP_ST_OK, OP_DEVICE_LEN);
	if (!p)
		return;
	put_device(s, p);
	device_plug(s, c, now_ns);
	logmsg("%s: imported %s: device plugged in", c->peer, s->busid);
}

static long op_msg_len(const uint8_t *m, size_t avail, const char **why)
{
	uint16_t version, code;

	if (avail < OP_HEADER_LEN)
		return 0;
	version = get_be16(m);
	code = get_be16(m + 2);
	if (version != USBIP_VERSION) {
		*why = "unknown USB/IP version";
		return -1;
	}
	if (code == OP_REQ_DEVLIST)
		return OP_HEADER_LEN;
	if (code == OP_REQ_IMPORT)
		return OP_HEADER_LEN + OP_BUSID_LEN;
	*why = "unknown USB/IP operation";
	return -1;
}

/* ---- input -------------------------------------------------------------- */

static void handle_messages(struct emu_usbip *s, struct conn *c,
			    uint64_t now_ns)
{
	size_t off = 0;

	while (!c->dead && !c->closing) {
		const char *why = NULL;
		const uint8_t *m = c->in + off;
		size_t avail = c->in_len - off;
		long len = c->imported ? urb_msg_len(s, m, avail, &why) :
					 op_msg_len(m, avail, &why);

		if (len < 0) {
			logmsg("%s: malformed message: %s", c->peer, why);
			conn_kill(c, why);
			break;
		}
		if (len == 0 || (size_t)len > avail)
			break;
		if (c->imported)
			handle_urb_msg(s, m, now_ns);
		else if (get_be16(m + 2) == OP_REQ_DEVLIST)
			op_devlist(s, c);
		else
			op_import(s, c, m + OP_HEADER_LEN, now_ns);
		off += (size_t)len;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

static void conn_read(struct emu_usbip *s, struct conn *c, uint64_t now_ns)
{
	while (!c->dead && !c->closing && c->in_len < IN_BUF_LEN) {
		ssize_t n = recv(c->fd, c->in + c->in_len,
				 IN_BUF_LEN - c->in_len, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				conn_kill(c, "reset by the host");
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_kill(c, "receive failed");
			return;
		}
		if (n == 0) {
			conn_kill(c, "closed by the host");
			return;
		}
		c->in_len += (size_t)n;
		handle_messages(s, c, now_ns);
	}
}

static void conn_accept(struct emu_usbip *s)
{
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	int fd, one = 1;
	unsigned int i;

	fd = accept4(s->listen_fd, (struct sockaddr *)&peer, &plen,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd < 0)
			break;
	if (i == MAX_CONNS) {
		logmsg("too many connections, refusing one");
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->conns[i].fd = fd;
	s->conns[i].in = malloc(IN_BUF_LEN);
	if (!s->conns[i].in) {
		close(fd);
		s->conns[i].fd = -1;
		return;
	}
	snprintf(s->conns[i].peer, sizeof(s->conns[i].peer), "%s:%u",
		 inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
	logmsg("%s: connected", s->conns[i].peer);
}

/* Flushes every connection and closes the ones that are done. */
static void conns_settle(struct emu_usbip *s)
{
	unsigned int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		if (!c->dead)
			conn_flush(c);
		if (c->dead)
			conn_close(s, c, c->dead);
		else if (c->closing && !c->out_len)
			conn_close(s, c, "done");
	}
}

/* ---- the public face ---------------------------------------------------- */

static void parse_busid_numbers(struct emu_usbip *s)
{
	unsigned int bus = 1;

	if (sscanf(s->busid, "%u-", &bus) != 1 || bus == 0 || bus > 0xffff)
		bus = 1;
	s->busnum = bus;
	s->devnum = 2;
}

struct emu_usbip *emu_usbip_new(struct emu_personality *p,
				const struct emu_usbip_config *cfg,
				struct emu_stats *stats)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(cfg->port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct emu_usbip *s;
	unsigned int i;
	int one = 1, err;

	if (!emu_usbip_busid_valid(cfg->busid) ||
	    p->usb->channels > MAX_CHANNELS ||
	    p->usb->num_interfaces > EMU_LAYOUT_MAX_INTF) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->p = p;
	s->u = p->usb;
	s->stats = stats;
	s->verbose = cfg->verbose;
	strcpy(s->busid, cfg->busid);
	parse_busid_numbers(s);
	queue_init(&s->ep0);
	queue_init(&s->intr);
	queue_init(&s->iso);
	for (i = 0; i < MAX_CONNS; i++)
		s->conns[i].fd = -1;

	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		goto fail;
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listen_fd, 4) < 0)
		goto fail_close;
	return s;

fail_close:
	err = errno;
	close(s->listen_fd);
	errno = err;
fail:
	err = errno;
	free(s);
	errno = err;
	return NULL;
}

void emu_usbip_free(struct emu_usbip *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(s, &s->conns[i], "shutting down");
	close(s->listen_fd);
	free(s);
}

size_t emu_usbip_pollfds(struct emu_usbip *s, struct pollfd *fds, size_t max)
{
	size_t n = 0;
	unsigned int i;

	s->npolled = 0;
	if (max == 0)
		return 0;
	fds[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	for (i = 0; i < MAX_CONNS && n < max; i++) {
		struct conn *c = &s->conns[i];
		short events = 0;

		if (c->fd < 0)
			continue;
		if (!c->closing)
			events |= POLLIN;
		if (c->out_len)
			events |= POLLOUT;
		fds[n++] = (struct pollfd){ .fd = c->fd, .events = events };
		s->polled[s->npolled++] = (int)i;
	}
	return n;
}

void emu_usbip_dispatch(struct emu_usbip *s, const struct pollfd *fds,
			size_t n, uint64_t now_ns)
{
	size_t k;

	for (k = 0; k < s->npolled && k + 1 < n; k++) {
		struct conn *c = &s->conns[s->polled[k]];
		short rev = fds[k + 1].revents;

		if (c->fd < 0 || fds[k + 1].fd != c->fd)
			continue;
		if (rev & (POLLIN | POLLHUP | POLLERR))
			conn_read(s, c, now_ns);
	}
	if (n && (fds[0].revents & POLLIN))
		conn_accept(s);
	conns_settle(s);
}

void emu_usbip_run(struct emu_usbip *s, uint64_t now_ns)
{
	if (s->dev_conn) {
		ep0_run(s, now_ns);
		iso_run(s, now_ns);
		if (now_ns >= s->catch_up_ns) {
			s->p->ops->tick(s->p->dev, now_ns);
			s->catch_up_ns = now_ns + CATCH_UP_NS;
			s->notify_next_ns = 0;
		}
		if (s->intr.head && now_ns >= s->notify_next_ns)
			notify_poll(s, now_ns);
	}
	conns_settle(s);
}

uint64_t emu_usbip_next_deadline(const struct emu_usbip *s)
{
	uint64_t next = UINT64_MAX;

	if (!s->dev_conn)
		return next;
	if (s->ep0.head && s->ep0.head->started && s->ep0.head->due_ns < next)
		next = s->ep0.head->due_ns;
	if (s->iso.head && s->iso.head->due_ns < next)
		next = s->iso.head->due_ns;
	if (s->intr.head && s->notify_next_ns < next)
		next = s->notify_next_ns;
	if (s->catch_up_ns < next)
		next = s->catch_up_ns;
	return next;
}

void emu_usbip_poke(struct emu_usbip *s, uint64_t now_ns)
{
	if (!s->dev_conn)
		return;
	notify_poll(s, now_ns);
	conns_settle(s);
}

int emu_usbip_unplug(struct emu_usbip *s)
{
	if (!s->dev_conn)
		return -ENOTCONN;
	conn_close(s, s->dev_conn, "unplugged by the control channel");
	return 0;
}

bool emu_usbip_plugged(const struct emu_usbip *s)
{
	return s->dev_conn != NULL;
}

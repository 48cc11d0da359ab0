# The helpers of `make bench` (tests/vm/scenarios/bench.sh): an sd-bus
# client timing SetGain and an empty call, a raw snd_ctl_elem_write timed
# the same way, and bench-util's clock, state poller and rename counter.
# Included by the top-level Makefile.

BENCH_DIR := tests/bench

$(B)/bin/setgain-bench: $(B)/obj/$(BENCH_DIR)/setgain-bench.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null || echo -lsystemd)

$(B)/obj/$(BENCH_DIR)/setgain-bench.o: CPPFLAGS += $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)

$(B)/bin/bench-util: $(B)/obj/$(BENCH_DIR)/bench-util.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/bin/ctl-write-bench: $(B)/obj/$(BENCH_DIR)/ctl-write-bench.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs alsa 2>/dev/null || echo -lasound)

$(B)/obj/$(BENCH_DIR)/ctl-write-bench.o: CPPFLAGS += $(shell $(PKG_CONFIG) --cflags alsa 2>/dev/null)

USER_BINS += $(B)/bin/setgain-bench $(B)/bin/bench-util $(B)/bin/ctl-write-bench

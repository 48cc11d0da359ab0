# libFuzzer harnesses for every parser of untrusted bytes in preampd
# (tests/fuzz/fuzz-*.c): state files, preampd.conf, profiles (and the
# usbmixer text), device keys from USB strings, preset names, and the
# AutoGain state machine fed whole sessions. Built with clang and
# -fsanitize=fuzzer,address,undefined. Included by the top-level Makefile
# after daemon/daemon.mk and daemon/preampd/autogain.mk.
#
#   make fuzz          each one for FUZZ_TIME seconds (default 60), its
#                      corpus growing in build/fuzz/corpus-NAME
#   make check-fuzz    a short run of each over the committed seed corpus
#                      (tests/fuzz/corpus/NAME), reproducible: a fixed
#                      seed and number of runs
#
# A crash leaves build/fuzz/crash-NAME-*; run the harness on that file
# to see it again.

FUZZ_CC     ?= clang-14
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME   ?= 60
FUZZ_CHECK_RUNS ?= 20000
FUZZ_NAMES  := statefile config profile devkey preset-name autogain
FUZZ_BINS   := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz-%)
# the pure sources: no D-Bus, no ALSA
FUZZ_SRCS   := $(PREAMPD_PURE_SRCS) $(PREAMPD_AUTOGAIN_PURE_SRCS)

FUZZ_OBJS   := $(FUZZ_SRCS:%.c=$(B)/fuzz/obj/%.o)

$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) -Iinclude $(PREAMPD_INCLUDES) -I$(PREAMP_COMMON_DIR) \
		-MMD -MP -c -o $@ $<

$(B)/fuzz/fuzz-%: $(B)/fuzz/obj/tests/fuzz/fuzz-%.o $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(INIH_LIBS) -lm

.PHONY: fuzz check-fuzz fuzz-bins
fuzz-bins: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		mkdir -p $(B)/fuzz/corpus-$$n; \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; \
		$(B)/fuzz/fuzz-$$n -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-artifact_prefix=$(B)/fuzz/crash-$$n- -print_final_stats=1 \
			$(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::new_units_added|==.*ERROR|SUMMARY|artifact_prefix)|Test unit written' ; \
		[ "$${PIPESTATUS[0]}" = 0 ] || exit 1; \
	done

check-fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(B) $(FUZZ_CHECK_RUNS) $(FUZZ_NAMES)

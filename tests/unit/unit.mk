# cmocka unit tests: each tests/unit/test-NAME.c is one suite, linked with
# the sources it tests (UNIT_NAME_SRCS; other fragments add their suites to
# UNIT_SUITES before this one is included). Every suite runs under ASan+UBSan, and its plain
# build once more under valgrind.

EMU_MODEL_SRCS ?= tests/emulator/model.c tests/emulator/audio.c tests/emulator/modelfile.c

UNIT_SUITES += protocol audio model modelfile ctl
UNIT_protocol_SRCS  :=
UNIT_audio_SRCS     := tests/emulator/audio.c
UNIT_model_SRCS     := $(EMU_MODEL_SRCS)
UNIT_modelfile_SRCS := $(EMU_MODEL_SRCS)
UNIT_ctl_SRCS       := $(EMU_MODEL_SRCS) tests/emulator/ctl.c tests/emulator/ctlkit.c

UNIT_CPPFLAGS := -Itests/emulator -DMODELS_DIR='"tests/emulator/models"'
UNIT_LIBS     := $(CMOCKA_LIBS) $(INIH_LIBS) -lm

UNIT_ASAN  := $(UNIT_SUITES:%=$(B)/unit/asan/test-%)
UNIT_PLAIN := $(UNIT_SUITES:%=$(B)/unit/plain/test-%)

$(B)/asan/tests/unit/%.o $(B)/obj/tests/unit/%.o: CPPFLAGS += $(UNIT_CPPFLAGS)
$(B)/asan/tests/emulator/%.o $(B)/obj/tests/emulator/%.o: CPPFLAGS += -Itests/emulator

# the objects of suite $(2) in flavour $(1)
unit_objs = $(addprefix $(B)/$(1)/,$(UNIT_$(2)_SRCS:.c=.o))

.SECONDEXPANSION:
$(B)/unit/asan/test-%: $(B)/asan/tests/unit/test-%.o $$(call unit_objs,asan,$$*)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(UNIT_LIBS)

$(B)/unit/plain/test-%: $(B)/obj/tests/unit/test-%.o $$(call unit_objs,obj,$$*)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(UNIT_LIBS)

unit-tests: $(UNIT_ASAN) $(UNIT_PLAIN)

check-unit: unit-tests
	@tests/unit/run.sh $(B) $(UNIT_SUITES)

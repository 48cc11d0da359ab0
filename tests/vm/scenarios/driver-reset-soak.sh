#!/bin/bash
# The soak of driver-reset-order: 40 USB resets under a write loop
# (`make check-long`).
exec bash /tests/scenarios/driver-reset-order.sh 40

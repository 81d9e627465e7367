#!/bin/sh
# A suite that fails on purpose (inject=fail): proves a failing guest test
# fails the run.
echo "KTAP version 1"
echo "1..1"
echo "not ok 1 injected_failure"
exit 1

#!/bin/sh
# prepare-commit-msg: placeholder until the enforcement hooks land; changes nothing.
exit 0

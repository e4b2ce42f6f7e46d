#!/bin/sh
# Packages must not try to start services while an image is built.
exit 101

#!/bin/sh
# SPDX-License-Identifier: MIT
# The metainfo with the web addresses of wherever the project is published:
# its homepage, and the screenshots of docs/screenshots/ under SCREENSHOTS-URL
# (which ends in "/"). Either may be empty: then it is left out.
#
# usage: metainfo-web.sh METAINFO HOMEPAGE SCREENSHOTS-URL > OUT
set -eu
in=$1 home=$2 shots=$3
for url in "$home" "$shots"; do
	case $url in
	'') ;;
	*[\<\>\&\"\ ]*) echo "metainfo-web.sh: not a plain web address: $url" >&2; exit 1 ;;
	https://* | http://*) ;;
	*) echo "metainfo-web.sh: not a web address: $url" >&2; exit 1 ;;
	esac
done
awk -v home="$home" -v shots="$shots" '
function shot(file, caption, type) {
	printf "    <screenshot%s>\n", type
	printf "      <caption>%s</caption>\n", caption
	printf "      <image>%s%s</image>\n", shots, file
	print "    </screenshot>"
}
/^<\/component>/ {
	if (home != "")
		printf "  <url type=\"homepage\">%s</url>\n", home
	if (shots != "") {
		print "  <screenshots>"
		shot("main.png", "Two identical interfaces told apart, channel strips with meters, 48 V and presets", " type=\"default\"")
		shot("autogain.png", "AutoGain listening, cancellable", "")
		shot("clip.png", "A clip light that stays lit until clicked", "")
		shot("refused.png", "A refused change, explained", "")
		print "  </screenshots>"
	}
}
{ print }' "$in"

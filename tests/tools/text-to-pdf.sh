#!/usr/bin/env bash
# Typesets a plain-text case report as a PDF, as a journal would: justified paragraphs with
# hyphenated line breaks, a running head and page numbers on every page, optionally in two columns.
# groff's ms macros and its PDF device (Debian's groff package); used by the PDF tests at run time.
#
#   tests/tools/text-to-pdf.sh IN.txt OUT.pdf [--two-column]
set -euo pipefail
in="$1" out="$2" columns="${3:-}"
{
  echo '.ds LH Journal of Example Case Reports'
  echo '.ds CH'
  echo '.ds RH Vol. 12'
  echo '.ds CF - % -'
  echo '.nr PS 10'
  echo '.nr VS 12'
  echo '.hy 1'
  [ "$columns" = "--two-column" ] && echo '.2C'
  echo '.LP'
  # Blank lines part paragraphs; a line that groff would read as a request is escaped.
  sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/^[[:space:]]*$/.LP/' "$in"
} | groff -k -ms -Tpdf > "$out"

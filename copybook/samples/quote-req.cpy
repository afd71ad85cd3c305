      * SPDX-License-Identifier: GPL-2.0-or-later
      * Synchronous callout sample (imsconnect-sim's CALLSYNC program):
      * the ICAL request an IMS program sends to ask for a price quote.
       01  QUOTE-REQUEST.
           05  ITEM                PIC X(10).
           05  QUANTITY            PIC 9(4).

      * SPDX-License-Identifier: GPL-2.0-or-later
      * Synchronous callout records of CALLSYNC, for the XML adapter
      * converter QUOTEX (imsgw's copybook/samples/quote-*.cpy are the same
      * layouts): the ICAL request the program sends and the reply it gets.
       01  QUOTE-REQUEST.
           05  ITEM                PIC X(10).
           05  QUANTITY            PIC 9(4).
       01  QUOTE-REPLY.
           05  PRICE               PIC 9(7).
           05  CURRENCY            PIC X(3).

      * SPDX-License-Identifier: GPL-2.0-or-later
      * Synchronous callout sample: the answer returned to the ICAL.
       01  QUOTE-REPLY.
           05  PRICE               PIC 9(7).
           05  CURRENCY            PIC X(3).

      * SPDX-License-Identifier: GPL-2.0-or-later
      * Asynchronous callout sample (imsconnect-sim's CALLASYN program):
      * an order event an IMS program inserts to an alternate PCB.
       01  ORDER-EVENT.
           05  ORDER-ID            PIC X(10).
           05  ITEM                PIC X(10).
           05  QUANTITY            PIC 9(4).

      * SPDX-License-Identifier: GPL-2.0-or-later
      * IVTNO (IMS IVP non-conversational phone book) message layouts,
      * as served by imsconnect-sim.  LL counts itself, ZZ and the data.
      * The input record carries the transaction code in IN-TRCD
      * (8 characters, blank padded to 10); commands: ADD, DISPLAY,
      * DELETE, UPDATE (the first three characters decide).
       01  IVTNO-INPUT-MSG.
           05  IN-LL               PIC S9(3) COMP.
           05  IN-ZZ               PIC S9(3) COMP.
           05  IN-TRCD             PIC X(10).
           05  IN-COMMAND          PIC X(8).
           05  IN-LAST-NAME        PIC X(10).
           05  IN-FIRST-NAME       PIC X(10).
           05  IN-EXTENSION        PIC X(10).
           05  IN-ZIP-CODE         PIC X(7).
       01  IVTNO-OUTPUT-MSG.
           05  OUT-LL              PIC S9(3) COMP VALUE +93.
           05  OUT-ZZ              PIC S9(3) COMP VALUE +0.
           05  OUT-MESSAGE         PIC X(40).
           05  OUT-COMMAND         PIC X(8).
           05  OUT-LAST-NAME       PIC X(10).
           05  OUT-FIRST-NAME      PIC X(10).
           05  OUT-EXTENSION       PIC X(10).
           05  OUT-ZIP-CODE        PIC X(7).
           05  OUT-SEGMENT-NO      PIC X(4).

--------------------------- MODULE WatermarkRule ---------------------------
(***************************************************************************)
(* The watermark rule of design.md s.1, written to mirror the Java function *)
(* io.bakeguard.core.watermark.WatermarkRule.apply branch by branch, and    *)
(* WatermarkRule.recordSignature.  Pure: no constants, no variables.        *)
(*                                                                         *)
(* Absent values are records with present = FALSE (not model values), so    *)
(* every mark, floor and decision has one record shape and TLC can compare  *)
(* them with "=".  A stored signature is a flag: all Bakeguard signing is   *)
(* deterministic, so the signature is a function of the signed bytes.      *)
(*                                                                         *)
(* RuleAgreementTest (module model-check) evaluates Apply and              *)
(* RecordSignature with TLC on an exhaustive table of inputs and compares   *)
(* them with the Java outputs.                                              *)
(***************************************************************************)
EXTENDS Integers

\* Watermark: the bucket's content (Optional<Watermark> in Java).
NoMark == [present |-> FALSE, level |-> 0, round |-> 0, digest |-> "none", signed |-> FALSE]
Mark(l, r, d) == [present |-> TRUE, level |-> l, round |-> r, digest |-> d, signed |-> FALSE]

\* Floor: the operator-set lower bound of a (key, chain) (Optional<Floor> in Java).
\* hasRound = FALSE means the whole level is covered (Floor.round() empty).
NoFloor == [present |-> FALSE, level |-> 0, hasRound |-> FALSE, round |-> 0]
FloorAt(l) == [present |-> TRUE, level |-> l, hasRound |-> FALSE, round |-> 0]
FloorAtRound(l, r) == [present |-> TRUE, level |-> l, hasRound |-> TRUE, round |-> r]

\* Floor.covers(reqLevel, reqRound)
Covers(f, l, r) == IF l # f.level THEN l < f.level ELSE (~f.hasRound \/ r <= f.round)

\* Floor.above(other): f is strictly higher than g.
FloorAbove(f, g) ==
    IF f.level # g.level THEN f.level > g.level
    ELSE IF ~g.hasRound THEN FALSE
    ELSE ~f.hasRound \/ f.round > g.round

\* A floor only ever moves up (bakeguard watermarks raise / import).
RaiseFloor(old, new) == IF ~old.present \/ FloorAbove(new, old) THEN new ELSE old

\* Decision: Granted(mark) | Repeat(mark) | Refused(reason), as in Decision.java.
Granted(m) == [kind |-> "granted", reason |-> "NONE", mark |-> m]
Repeat(m) == [kind |-> "repeat", reason |-> "NONE", mark |-> m]
Refused(why) == [kind |-> "refused", reason |-> why, mark |-> NoMark]

(***************************************************************************)
(* WatermarkRule.apply(current, floor, firstUseAllowed, reservation)        *)
(***************************************************************************)
Apply(cur, floor, firstUse, l, r, d) ==
    IF floor.present /\ Covers(floor, l, r) THEN Refused("BELOW_FLOOR")
    ELSE IF ~cur.present THEN
            IF ~floor.present /\ ~firstUse THEN Refused("FIRST_USE_NOT_ALLOWED")
            ELSE Granted(Mark(l, r, d))
    ELSE IF l < cur.level THEN Refused("LEVEL_BELOW")
    ELSE IF l = cur.level /\ r < cur.round THEN Refused("NOT_ABOVE")
    ELSE IF l = cur.level /\ r = cur.round THEN
            IF cur.digest = d THEN Repeat(cur) ELSE Refused("DIFFERENT_DATA")
    ELSE Granted(Mark(l, r, d))

\* Decision.allowsSigning(): a fresh grant, or a repeat whose signature is not stored yet.
AllowsSigning(dec) == dec.kind = "granted" \/ (dec.kind = "repeat" /\ ~dec.mark.signed)

\* The bucket after the decision: only a grant changes it.
MarkAfter(cur, dec) == IF dec.kind = "granted" THEN dec.mark ELSE cur

(***************************************************************************)
(* WatermarkRule.recordSignature: store the signature only when the bucket  *)
(* still holds exactly the (level, round, digest) it was produced for.      *)
(* Java returns Optional.empty for "no change"; here the mark is unchanged. *)
(***************************************************************************)
RecordApplies(cur, l, r, d) ==
    cur.present /\ cur.level = l /\ cur.round = r /\ cur.digest = d /\ ~cur.signed

RecordSignature(cur, l, r, d) ==
    IF RecordApplies(cur, l, r, d) THEN [cur EXCEPT !.signed = TRUE] ELSE cur
=============================================================================

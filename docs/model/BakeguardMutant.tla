-------------------------- MODULE BakeguardMutant --------------------------
(***************************************************************************)
(* Checks that must FAIL, kept to show that the model check has teeth      *)
(* (model-check ModelCheckTest).  BakeguardMutant.cfg replaces the         *)
(* protocol's rule (Decide) with WeakDecide: at an equal (level, round) it *)
(* answers "repeat" even when the digest differs, so the replica signs the *)
(* other bytes.  TLC must report a violation of NoDoubleSign.              *)
(*                                                                         *)
(* BakeguardNoFairness.cfg checks UnfairSpec, the protocol without the     *)
(* assumption that Raft keeps committing while a majority is up: TLC must  *)
(* report that StableMajorityDecides is violated, which shows the liveness *)
(* property is not vacuous.                                                *)
(***************************************************************************)
EXTENDS Bakeguard

WeakApply(cur, fl, firstUse, l, r, d) ==
    IF cur.present /\ l = cur.level /\ r = cur.round /\ ~(fl.present /\ Covers(fl, l, r))
        THEN Repeat(cur)   \* the bug: the digest is not compared
        ELSE Apply(cur, fl, firstUse, l, r, d)

WeakDecide(cur, fl, l, r, d) == WeakApply(cur, fl, FirstUse, l, r, d)

\* A witness that signing is reachable at all: BakeguardReach.cfg checks Bakeguard.cfg's
\* bounds with this as an invariant, and TLC must report it violated, so the safety
\* invariants above are not true merely because nothing is ever signed.
SignsNothing == signatures = {}

UnfairSpec ==
    Init /\ [][Next]_vars /\ \A r \in Replicas : WF_vars(ApplyNext(r)) /\ WF_vars(Sign(r))
=============================================================================

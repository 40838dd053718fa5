----------------------------- MODULE Bakeguard -----------------------------
(***************************************************************************)
(* Bakeguard: a Raft-replicated Tezos remote signer that must never sign   *)
(* two different payloads at one (level, round) of one watermark bucket.   *)
(* See docs/safety.md ("The safety argument") for the prose version.       *)
(*                                                                         *)
(* What is modelled                                                        *)
(*  - Raft is abstracted to a totally ordered log of COMMITTED entries.    *)
(*    An entry commits only while a majority of replicas is up and         *)
(*    connected.  Replicas apply committed entries in log order and        *)
(*    nothing else (entries never leave the log).  Proposals               *)
(*    wait in a pool; a proposal whose replica gave up or crashed may       *)
(*    still commit later (as in Raft).                                     *)
(*  - A replica is up or down; a crash keeps its durable state (applied    *)
(*    watermarks, floor, applied index: Ratis rebuilds them from its       *)
(*    snapshot and fsynced log) and loses the request it was serving.      *)
(*  - A partition is the set "connected" of replicas that can reach each   *)
(*    other; replicas outside it are isolated.  A split leaves a majority   *)
(*    connected, or none ({} stands for every split without a majority).   *)
(*  - Bakers send any request (bucket, level, round, digest) to any up     *)
(*    replica: two bakers (or a restarted one) may send conflicting         *)
(*    requests, same (bucket, level, round) and different digests, to two *)
(*    replicas at once.                                                    *)
(*  - Request path on a replica: reserve (propose) -> commit -> apply the  *)
(*    rule (WatermarkRule.tla, the same text the Java rule is checked      *)
(*    against) -> if granted, sign -> answer -> propose a record-signature *)
(*    entry, without waiting for it.  A replica signs only a granted entry *)
(*    it proposed itself and has applied; it may sign after it has been    *)
(*    partitioned away, because the entry already committed.  A crash      *)
(*    between commit and sign burns the slot.                              *)
(*  - An operator may raise the (key, chain) floor through the log.        *)
(*                                                                         *)
(* Buckets are the kinds of one (key, chain): they share one floor and are *)
(* otherwise independent, as in the Java state machine.                    *)
(***************************************************************************)
EXTENDS WatermarkRule, Naturals, FiniteSets, Sequences, TLC

CONSTANTS
    Replicas,       \* model values, e.g. {n1, n2, n3}
    Buckets,        \* watermark kinds of one (key, chain), e.g. {"attestation"}
    Digests,        \* blake2b-256 of request bytes, as model values, e.g. {d1, d2}
    MaxLevel,       \* levels 1..MaxLevel
    MaxRound,       \* rounds 0..MaxRound
    FirstUse,       \* the key's policy allows first use (no mark, no floor)
    InitFloorLevel, \* 0: no floor at start; l > 0: every replica starts with floor FloorAt(l)
    MaxRequests,    \* bound on baker requests in one behaviour
    MaxCrashes,     \* bound on crashes
    MaxPartitions,  \* bound on partition events
    MaxRaises       \* bound on operator floor raises

ASSUME /\ Replicas # {} /\ Buckets # {} /\ Digests # {}
       /\ MaxLevel \in Nat \ {0} /\ MaxRound \in Nat /\ FirstUse \in BOOLEAN
       /\ InitFloorLevel \in Nat
       /\ {MaxRequests, MaxCrashes, MaxPartitions, MaxRaises} \subseteq Nat

Levels == 1..MaxLevel
InitFloor == IF InitFloorLevel = 0 THEN NoFloor ELSE FloorAt(InitFloorLevel)
Rounds == 0..MaxRound
Floors == {FloorAt(l) : l \in Levels} \cup {FloorAtRound(l, r) : l \in Levels, r \in Rounds}
Marks == {NoMark} \cup [present : {TRUE}, level : Levels, round : Rounds,
                        digest : Digests, signed : BOOLEAN]

\* The decision function the protocol uses.  It IS the rule of WatermarkRule.tla;
\* BakeguardMutant.cfg overrides it with a weakened rule to show that TLC catches it.
Decide(cur, fl, l, r, d) == Apply(cur, fl, FirstUse, l, r, d)

IsMajority(S) == 2 * Cardinality(S) > Cardinality(Replicas)

VARIABLES
    up,          \* replicas that are running
    connected,   \* replicas that can reach each other (the others are isolated)
    pool,        \* proposed entries not yet committed
    log,         \* the committed log: a sequence of entries
    applied,     \* applied[r]: entries r has applied (durable)
    wm,          \* wm[r][b]: bucket b as applied by r (durable)
    floor,       \* floor[r]: (key, chain) floor as applied by r (durable)
    rs,          \* rs[r]: the request r is serving (volatile)
    signatures,  \* every signature produced: bucket, level, round, digest, signing replica
    nRequests, nCrashes, nPartitions, nRaises

vars == <<up, connected, pool, log, applied, wm, floor, rs, signatures,
          nRequests, nCrashes, nPartitions, nRaises>>

\* Entries have one record shape.  type: "reserve" | "record" | "floor".
Entry(t, p, b, l, r, d, f) == [type |-> t, prop |-> p, b |-> b, l |-> l, rd |-> r, d |-> d, fl |-> f]
Reserve(p, b, l, r, d) == Entry("reserve", p, b, l, r, d, NoFloor)
Record(p, b, l, r, d) == Entry("record", p, b, l, r, d, NoFloor)
FloorEntry(f) == Entry("floor", "operator", "-", 0, 0, "-", f)

Idle == [st |-> "idle", q |-> Reserve("-", "-", 0, 0, "-")]

Quorum == IsMajority(up \cap connected)
Reachable(r) == r \in up /\ r \in connected /\ Quorum

(* The state machine, as a pure fold over the log: used by the invariants. *)
InitSM == [wm |-> [b \in Buckets |-> NoMark], floor |-> InitFloor]

StepSM(s, e) ==
    CASE e.type = "reserve" ->
            [s EXCEPT !.wm[e.b] = MarkAfter(@, Decide(@, s.floor, e.l, e.rd, e.d))]
      [] e.type = "record" ->
            [s EXCEPT !.wm[e.b] = RecordSignature(@, e.l, e.rd, e.d)]
      [] e.type = "floor" ->
            [s EXCEPT !.floor = RaiseFloor(@, e.fl)]

RECURSIVE SMAfter(_)
SMAfter(k) == IF k = 0 THEN InitSM ELSE StepSM(SMAfter(k - 1), log[k])

-----------------------------------------------------------------------------
Init ==
    /\ up = Replicas
    /\ connected = Replicas
    /\ pool = {}
    /\ log = << >>
    /\ applied = [r \in Replicas |-> 0]
    /\ wm = [r \in Replicas |-> [b \in Buckets |-> NoMark]]
    /\ floor = [r \in Replicas |-> InitFloor]
    /\ rs = [r \in Replicas |-> Idle]
    /\ signatures = {}
    /\ nRequests = 0 /\ nCrashes = 0 /\ nPartitions = 0 /\ nRaises = 0

\* A baker sends a consensus request to replica r; r reserves it: proposes the entry.
Request(r, b, l, rd, d) ==
    /\ nRequests < MaxRequests
    /\ r \in up
    /\ rs[r].st = "idle"
    /\ rs' = [rs EXCEPT ![r] = [st |-> "proposed", q |-> Reserve(r, b, l, rd, d)]]
    /\ pool' = pool \cup {Reserve(r, b, l, rd, d)}
    /\ nRequests' = nRequests + 1
    /\ UNCHANGED <<up, connected, log, applied, wm, floor, signatures,
                   nCrashes, nPartitions, nRaises>>

\* The operator raises the floor (bakeguard watermarks raise): an entry like any other.
RaiseFloorOp(f) ==
    /\ nRaises < MaxRaises
    /\ pool' = pool \cup {FloorEntry(f)}
    /\ nRaises' = nRaises + 1
    /\ UNCHANGED <<up, connected, log, applied, wm, floor, rs, signatures,
                   nRequests, nCrashes, nPartitions>>

\* Raft commits a proposal: only while a majority is up and connected (the members of that
\* majority have the entry in their fsynced log).  Which entry commits next is not fixed.
Commit(e) ==
    /\ Quorum
    /\ log' = Append(log, e)
    /\ pool' = pool \ {e}
    /\ UNCHANGED <<up, connected, applied, wm, floor, rs, signatures,
                   nRequests, nCrashes, nPartitions, nRaises>>

CommitSome == \E e \in pool : Commit(e)

\* Replica r applies its next committed entry.  Connectivity is deliberately not required:
\* a replica cut off after an entry committed may still apply it (it may have had it in its
\* log), and letting every up replica apply every committed entry only adds behaviours.
ApplyNext(r) ==
    /\ r \in up
    /\ applied[r] < Len(log)
    /\ LET i == applied[r] + 1
           e == log[i]
       IN
       /\ applied' = [applied EXCEPT ![r] = i]
       /\ CASE e.type = "reserve" ->
                LET dec == Decide(wm[r][e.b], floor[r], e.l, e.rd, e.d) IN
                /\ wm' = [wm EXCEPT ![r][e.b] = MarkAfter(@, dec)]
                /\ UNCHANGED floor
                /\ IF e.prop = r /\ rs[r].st = "proposed" /\ rs[r].q = e
                     THEN \* the answer to r's own reservation
                          IF AllowsSigning(dec)
                            THEN rs' = [rs EXCEPT ![r] = [@ EXCEPT !.st = "granted"]]
                          ELSE IF dec.kind = "repeat"
                            THEN \* the stored signature is returned as is; no key is touched
                                 rs' = [rs EXCEPT ![r] = Idle]
                            ELSE rs' = [rs EXCEPT ![r] = Idle]
                     ELSE UNCHANGED rs
            [] e.type = "record" ->
                /\ wm' = [wm EXCEPT ![r][e.b] = RecordSignature(@, e.l, e.rd, e.d)]
                /\ UNCHANGED <<floor, rs>>
            [] e.type = "floor" ->
                /\ floor' = [floor EXCEPT ![r] = RaiseFloor(@, e.fl)]
                /\ UNCHANGED <<wm, rs>>
    /\ UNCHANGED <<up, connected, pool, log, signatures, nRequests, nCrashes, nPartitions, nRaises>>

\* r signs the bytes of its granted, applied reservation, answers the baker and proposes the
\* record-signature entry without waiting for it.  No connectivity needed: the grant committed.
Sign(r) ==
    /\ r \in up
    /\ rs[r].st = "granted"
    /\ LET q == rs[r].q IN
       /\ signatures' = signatures \cup
              {[b |-> q.b, l |-> q.l, rd |-> q.rd, d |-> q.d, by |-> r]}
       /\ pool' = pool \cup {Record(r, q.b, q.l, q.rd, q.d)}
    /\ rs' = [rs EXCEPT ![r] = Idle]
    /\ UNCHANGED <<up, connected, log, applied, wm, floor, nRequests, nCrashes,
                   nPartitions, nRaises>>

\* r cannot commit within the request deadline: it answers 503 and signs nothing.  Its
\* proposal stays in the pool and may still commit later (then the slot is burnt).
Timeout(r) ==
    /\ r \in up
    /\ rs[r].st = "proposed"
    /\ ~Reachable(r)
    /\ rs' = [rs EXCEPT ![r] = Idle]
    /\ UNCHANGED <<up, connected, pool, log, applied, wm, floor, signatures,
                   nRequests, nCrashes, nPartitions, nRaises>>

\* A crash loses the request in flight (a grant not yet signed is burnt), keeps durable state.
Crash(r) ==
    /\ nCrashes < MaxCrashes
    /\ r \in up
    /\ up' = up \ {r}
    /\ rs' = [rs EXCEPT ![r] = Idle]
    /\ nCrashes' = nCrashes + 1
    /\ UNCHANGED <<connected, pool, log, applied, wm, floor, signatures,
                   nRequests, nPartitions, nRaises>>

Restart(r) ==
    /\ r \notin up
    /\ up' = up \cup {r}
    /\ UNCHANGED <<connected, pool, log, applied, wm, floor, rs, signatures,
                   nRequests, nCrashes, nPartitions, nRaises>>

\* The splits that differ for Raft: one majority side, or no majority side at all.
Splits == {S \in SUBSET Replicas : IsMajority(S) /\ S # Replicas} \cup {{}}

Partition(S) ==
    /\ nPartitions < MaxPartitions
    /\ S # connected
    /\ connected' = S
    /\ nPartitions' = nPartitions + 1
    /\ UNCHANGED <<up, pool, log, applied, wm, floor, rs, signatures,
                   nRequests, nCrashes, nRaises>>

Heal ==
    /\ connected # Replicas
    /\ connected' = Replicas
    /\ UNCHANGED <<up, pool, log, applied, wm, floor, rs, signatures,
                   nRequests, nCrashes, nPartitions, nRaises>>

Next ==
    \/ \E r \in Replicas, b \in Buckets, l \in Levels, rd \in Rounds, d \in Digests :
            Request(r, b, l, rd, d)
    \/ \E f \in Floors : RaiseFloorOp(f)
    \/ CommitSome
    \/ \E r \in Replicas : ApplyNext(r) \/ Sign(r) \/ Timeout(r) \/ Crash(r) \/ Restart(r)
    \/ \E S \in Splits : Partition(S)
    \/ Heal

\* Raft makes progress while a majority is up and connected, and a replica that can apply
\* or sign eventually does.  Crashes, restarts, partitions, heals, timeouts and new
\* requests get no fairness: they may or may not happen.
Fairness ==
    /\ WF_vars(CommitSome)
    /\ \A r \in Replicas : WF_vars(ApplyNext(r)) /\ WF_vars(Sign(r))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties *)

TypeOK ==
    /\ up \subseteq Replicas /\ connected \subseteq Replicas
    /\ applied \in [Replicas -> 0..Len(log)]
    /\ wm \in [Replicas -> [Buckets -> Marks]]
    /\ \A r \in Replicas : floor[r] = InitFloor \/ floor[r] \in Floors
    /\ \A r \in Replicas : rs[r].st \in {"idle", "proposed", "granted"}

\* THE safety property: never two different digests signed for one bucket at one (level, round).
NoDoubleSign ==
    \A s1, s2 \in signatures :
        (s1.b = s2.b /\ s1.l = s2.l /\ s1.rd = s2.rd) => s1.d = s2.d

\* Every signature comes from a reservation entry in the committed log, proposed by the
\* replica that signed, that the rule allowed to sign at its place in the log.  Together with
\* CommitNeedsMajority (the log grows only while a majority is up and connected) this says
\* that no signature comes from an entry that did not commit on a majority.
MinorityNeverSigns ==
    \A s \in signatures :
        \E i \in 1..Len(log) :
            /\ log[i] = Reserve(s.by, s.b, s.l, s.rd, s.d)
            /\ LET before == SMAfter(i - 1) IN
               AllowsSigning(Decide(before.wm[s.b], before.floor, s.l, s.rd, s.d))

\* Replicas apply the committed log and nothing else: the state of every replica is the fold
\* of the log prefix it has applied (so replicas at the same index agree).
AppliedIsLogPrefix ==
    \A r \in Replicas : [wm |-> wm[r], floor |-> floor[r]] = SMAfter(applied[r])

\* A stored signature is one that was really produced for exactly that mark.
StoredSignatureWasSigned ==
    \A r \in Replicas, b \in Buckets :
        wm[r][b].signed =>
            \E s \in signatures : s.b = b /\ s.l = wm[r][b].level /\ s.rd = wm[r][b].round
                                  /\ s.d = wm[r][b].digest

\* (level, round) of a mark never goes down on any replica, and at an equal (level, round)
\* the digest never changes.  An action property, checked by TLC as a temporal formula.
MarkNotLower(new, old) ==
    ~old.present
    \/ /\ new.present
       /\ \/ new.level > old.level
          \/ new.level = old.level /\ new.round > old.round
          \/ new.level = old.level /\ new.round = old.round /\ new.digest = old.digest
             /\ (old.signed => new.signed)

WatermarkMonotoneStep ==
    \A r \in Replicas, b \in Buckets : MarkNotLower(wm'[r][b], wm[r][b])

WatermarkMonotone == [][WatermarkMonotoneStep]_vars

\* The floor too only moves up.
FloorMonotone == [][\A r \in Replicas : floor'[r] = floor[r] \/ FloorAbove(floor'[r], floor[r])
                                         \/ ~floor[r].present]_vars

CommitNeedsMajority == [][Len(log') > Len(log) => Quorum]_vars

\* The committed log is only ever extended, never rewritten.
LogOnlyGrows == [][Len(log') >= Len(log) /\ SubSeq(log', 1, Len(log)) = log]_vars

\* Liveness: while the replica serving a fresh request is up and on the side of a majority
\* that is up and connected, the request gets decided: the rule grants it, refuses it, or
\* answers it from the stored signature.  (A replica leaves "proposed" in only one other way,
\* the 503 timeout, and that is enabled only when it is not on the majority side.)
StableMajorityDecides ==
    \A r \in Replicas :
        (rs[r].st = "proposed" /\ Reachable(r)) ~> (rs[r].st # "proposed" \/ ~Reachable(r))

\* Replicas and digests are interchangeable: the safety configurations use this symmetry.
Symmetry == Permutations(Replicas) \cup Permutations(Digests)
=============================================================================

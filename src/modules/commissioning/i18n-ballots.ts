/** The ballot path's own strings (ballots-seal.ts). Polish: gender-neutral where it can be, no vocative. */
export const commBallotsEn = {
  'comm.ballots.error.sealedElsewhere': 'The ballots of this round were sealed with another instance key. Count the round on the instance that took the votes (the same SECRET_KEY or secret.key file).',
};

export const commBallotsPl: Record<keyof typeof commBallotsEn, string> = {
  'comm.ballots.error.sealedElsewhere': 'Głosy tej rundy zostały zapieczętowane innym kluczem instancji. Policz rundę na instancji, która przyjęła głosy (ten sam SECRET_KEY lub plik secret.key).',
};

/**
 * The server's clock: the only clock. Tests and the local runner may replace `now` to move
 * time without sleeping; production code always reads time through it.
 */
export const clock = {
  now: (): Date => new Date(),
};

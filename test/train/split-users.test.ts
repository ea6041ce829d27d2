import { splitUsers } from '../../train/split-users';

describe('splitUsers', () => {
  const users = Array.from({ length: 200 }, (_, i) => `u${i}`);

  it('puts every user in exactly one split, 70/15/15', () => {
    const split = splitUsers(users, 3);

    expect(split.validation).toHaveLength(30);
    expect(split.test).toHaveLength(30);
    expect(split.train).toHaveLength(140);
    expect(new Set([...split.train, ...split.validation, ...split.test]).size).toBe(200);
  });

  it('is the same for a seed and different for another', () => {
    expect(splitUsers(users, 3)).toEqual(splitUsers(users, 3));
    expect(splitUsers(users, 4).test).not.toEqual(splitUsers(users, 3).test);
  });
});

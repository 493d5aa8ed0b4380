package chat.server.command;

/**
 * The login budgets' charges ({@link LoginThrottle}, REGISTER's and CHECK_NAME's per address),
 * told to the other nodes of a cluster so that a budget spent on one node is spent on all
 * (docs/PROTOCOL.md, "Login throttling"). One node has none. Reactor thread only.
 */
public interface Charges {

    /** The budgets a charge goes to. */
    enum Budget {
        /** A wrong password through the account's own lane: key = account, with its address. */
        ACCOUNT,
        /** A wrong password through the account's clean-address lane: key = account, with its address. */
        CLEAN,
        /** A REGISTER whose password was hashed: key = address. */
        REGISTER,
        /** A bad RESUME token: key = address. */
        BAD_TOKEN,
        /** A CHECK_NAME: key = address. */
        NAME_CHECK
    }

    /** Nobody to tell (one node). */
    Charges NONE = (budget, key, address, newToAddress) -> {};

    /**
     * {@code budget} was charged for {@code key}; for a wrong password, {@code address} is where it
     * came from and {@code newToAddress} whether it cost the address one of its accounts (else
     * {@code address} is null).
     */
    void charged(Budget budget, String key, String address, boolean newToAddress);
}

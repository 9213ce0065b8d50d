package voting.events;

/** Who may get a ballot token: anyone who asks, or only the holder of a credential issued by an admin. */
public enum Eligibility {
    open, credential
}

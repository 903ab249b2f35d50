import Foundation

/// How the desk signs people in and how long what it hands out lasts.
public struct DeskSettings: Sendable {
    /// bcrypt's cost (2^cost rounds): 12 takes about a quarter of a second here.
    public var passwordCost: UInt8 = 12 { didSet { passwords = DeskPasswords(cost: passwordCost) } }
    /// A session ends this long after sign-in, used or not.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// How long an invitation code can be used.
    public var invitationLifetime: TimeInterval = 14 * 86_400
    /// After this many days without confirmation the desk asks the provider to confirm again.
    public var confirmAfterDays = 90
    let throttle = LoginThrottle()
    private(set) var passwords = DeskPasswords(cost: 12)

    public init() {}

    /// Makes the stand-in hash now (a quarter of a second), not at the first unknown sign-in, whose
    /// answer would then take longer than a wrong password's.
    public func prepare() { passwords.prepare() }

    /// Counts a sign-in attempt (see ``LoginThrottle/begin(login:address:now:)``); the seconds to wait when over the limit.
    public func throttleBegin(login: String, address: String) -> Int? { throttle.begin(login: login, address: address) }

    /// Passwords checked against a hash so far: an unknown login costs one as a wrong password does.
    public var passwordChecks: Int { passwords.checks }
}

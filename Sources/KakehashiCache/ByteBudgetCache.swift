import Foundation

/// Values by key within a budget of bytes, the least recently used evicted first.
///
/// Every cache of built things (tiles, layer shapes, layer files) is one of these: a count bound
/// let a few thousand large values exhaust memory (160 tile variants held 1.1 GB), so each value
/// says what it costs and the cache keeps the total under its budget. A value larger than the
/// whole budget is returned to its caller but not kept. Thread-safe.
public final class ByteBudgetCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private struct Slot {
        var value: Value
        let bytes: Int
        let stored: Date
        var used: UInt64
    }

    public let budget: Int
    /// How long a value stays valid (nil: until evicted).
    public let lifetime: TimeInterval?
    private let lock = NSLock()
    private var slots: [Key: Slot] = [:]
    private var held = 0
    private var clock: UInt64 = 0
    private var evicted = 0

    public init(budget: Int, lifetime: TimeInterval? = nil) {
        self.budget = max(0, budget)
        self.lifetime = lifetime
    }

    /// The value, if kept and still valid.
    public func value(_ key: Key, now: Date = Date()) -> Value? {
        lock.lock(); defer { lock.unlock() }
        guard var slot = slots[key] else { return nil }
        if let lifetime, now.timeIntervalSince(slot.stored) >= lifetime {
            remove(key, slot)
            return nil
        }
        clock += 1
        slot.used = clock
        slots[key] = slot
        return slot.value
    }

    /// Keeps a value that costs `bytes`, evicting the least recently used down to the budget.
    public func store(_ value: Value, bytes: Int, for key: Key, now: Date = Date()) {
        lock.lock(); defer { lock.unlock() }
        if let old = slots[key] { remove(key, old) }
        guard bytes <= budget else { return }
        clock += 1
        slots[key] = Slot(value: value, bytes: bytes, stored: now, used: clock)
        held += bytes
        guard held > budget else { return }
        // Evict in one pass, down to seven eighths of the budget, so that a full cache does
        // not sort its entries on every store.
        let target = budget - budget / 8
        for (k, s) in slots.sorted(by: { $0.value.used < $1.value.used }) where held > target && k != key {
            remove(k, s)
            evicted += 1
        }
    }

    /// The kept value, or one built now (outside the lock: two callers may build the same value
    /// once; the later simply replaces the earlier).
    public func value(_ key: Key, build: () throws -> (value: Value, bytes: Int)) rethrows -> Value {
        if let v = value(key) { return v }
        let built = try build()
        store(built.value, bytes: built.bytes, for: key)
        return built.value
    }

    /// What is held (tests read it to check the bound).
    public var usage: CacheUsage {
        lock.lock(); defer { lock.unlock() }
        return CacheUsage(entries: slots.count, bytes: held, budget: budget, evicted: evicted)
    }

    private func remove(_ key: Key, _ slot: Slot) {
        slots[key] = nil
        held -= slot.bytes
    }
}

/// What a cache holds against its budget, and how many values it has evicted.
public struct CacheUsage: Sendable, Codable, Equatable {
    public var entries: Int
    public var bytes: Int
    public var budget: Int
    public var evicted: Int

    public init(entries: Int, bytes: Int, budget: Int, evicted: Int) {
        self.entries = entries
        self.bytes = bytes
        self.budget = budget
        self.evicted = evicted
    }
}

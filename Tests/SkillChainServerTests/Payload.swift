import Foundation

/// Request bodies that several behaviours send: a valid one, which a test copies and spoils to check a refusal.
enum Payload {
    /// A pay grid's eight level bands, each band above the one below.
    static var payBands: [[String: Any]] {
        [
            ["level": "apprentice", "minimum": 4000, "maximum": 5000, "allowance": 0],
            ["level": "level5", "minimum": 5000, "maximum": 6500, "allowance": 200],
            ["level": "level4", "minimum": 6000, "maximum": 8000, "allowance": 500],
            ["level": "level3", "minimum": 7500, "maximum": 10000, "allowance": 800],
            ["level": "level2", "minimum": 9000, "maximum": 13000, "allowance": 1200],
            ["level": "level1", "minimum": 11000, "maximum": 16000, "allowance": 1800],
            ["level": "specialTechnician", "minimum": 14000, "maximum": 20000, "allowance": 2500],
            ["level": "chiefTechnician", "minimum": 22000, "maximum": 30000, "allowance": 4000],
        ]
    }

    /// An evaluation filing covering three levels of the world's occupation, valid 2026–2028.
    static var filing: [String: Any] {
        [
            "institutionType": "Y", "institutionCode": "0000", "siteSerial": "190001", "validFrom": "2026-01-01",
            "validUntil": "2028-12-31", "scopes": [["occupationCode": "6-18-02-04", "levels": ["level5", "level4", "level3"]]],
        ]
    }
}
